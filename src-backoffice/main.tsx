import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// The app's look, shared on purpose (only the stylesheet: nothing of the desktop's code).
import '../src-renderer/styles.css';
import './backoffice.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
