// The presentational pieces the candidate app (src-renderer) and the back office
// (src-backoffice) share: React components and hooks only, nothing of the assistant or of HTTP.
// The look is the stylesheet beside this file (styles.css), imported by each app's entry.
export { AppFrame } from './AppFrame';
export { Dialog } from './Dialog';
export { ErrorMessage } from './ErrorMessage';
export { FormActions } from './FormActions';
export { ScreenHeading, ScreenNotes } from './ScreenHeading';
export { SignInForm } from './SignInForm';
