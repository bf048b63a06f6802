import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { ApiProvider } from './api/context';
import { App } from './app';
import { ConfirmProvider } from './components/confirm-dialog';
import { RunsProvider } from './features/run/runs-context';
import { UploadDraftProvider } from './features/upload/upload-draft';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const api = connect();
root.render(
  <StrictMode>
    {api ? (
      <ApiProvider api={api}>
        <ConfirmProvider>
          <RunsProvider>
            <UploadDraftProvider>
              <App />
            </UploadDraftProvider>
          </RunsProvider>
        </ConfirmProvider>
      </ApiProvider>
    ) : (
      <main className="screen">
        <h1>Sluice cannot reach its services</h1>
        <p role="alert">
          This page was opened without its access token. Open the address that{' '}
          <code>npm run dev:web</code> printed (it ends with <code>#token=…</code>).
        </p>
      </main>
    )}
  </StrictMode>,
);
