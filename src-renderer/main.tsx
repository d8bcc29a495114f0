import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CounterShell } from './counter/CounterShell';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CounterShell>
      <App />
    </CounterShell>
  </StrictMode>,
);
