import { useEffect, useState } from 'react';
import { useApi, useCall } from '../api/context';
import type { Theme } from '../theme';

/** Bottom bar: what runs where (app:info), the latest notice, and the theme switch. */
export function StatusBar({ theme, onToggleTheme }: { theme: Theme; onToggleTheme: () => void }) {
  const api = useApi();
  const info = useCall('app:info', {});
  const [notice, setNotice] = useState<string>();
  useEffect(() => api.on('app:notice', (event) => setNotice(event.message)), [api]);

  return (
    <footer className="status-bar" aria-label="Status">
      {info.data ? (
        <span data-testid="app-info">
          {info.data.name} {info.data.version} · {info.data.platform}/{info.data.arch} ·{' '}
          {info.data.shell === 'electron' ? 'desktop' : 'web host'} · data:{' '}
          <code>{info.data.dataFolder}</code>
        </span>
      ) : (
        <span>{info.error ?? 'Connecting…'}</span>
      )}
      <span className="status-notice" role="status">
        {notice}
      </span>
      <button type="button" onClick={onToggleTheme} aria-pressed={theme === 'dark'}>
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
    </footer>
  );
}
