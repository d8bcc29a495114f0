import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CounterShell } from './counter/CounterShell';
// The shared look first, then the app's own screens, which build on it.
import '../src-ui/styles.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CounterShell>
      <App />
    </CounterShell>
  </StrictMode>,
);
