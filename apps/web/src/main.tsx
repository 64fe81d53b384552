import '@glideapps/glide-data-grid/dist/index.css';
import './styles/base.css';
import './styles/tables.css';
import './styles/table.css';
import './styles/panels.css';
import './styles/run-panels.css';
import './styles/find.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
