import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// The look shared with the candidate app (src-ui), then the back office's tables and review states.
import '../src-ui/styles.css';
import './backoffice.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
