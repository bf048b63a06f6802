import { useEffect, useRef } from 'react';
import { screens } from './screens/registry';
import { StatusBar } from './components/status-bar';
import { useRoute, useRoutePath } from './routing';
import { RunScreen } from './screens/run-screen';
import { LiveRunsNav } from './features/run/live-runs-nav';
import { InterruptedRuns } from './features/run/interrupted-runs';
import { useTheme } from './theme';

const screenIds = [...screens.map((screen) => screen.id), 'runs'];

/** The window: navigation on the left, the current screen, the status bar. */
export function App() {
  const route = useRoute(screenIds, 'orgs');
  const [theme, toggleTheme] = useTheme();
  const main = useRef<HTMLElement>(null);
  const routePath = useRoutePath();
  const current = screens.find((screen) => screen.id === route) ?? screens[0]!;

  // Alt+1…6 jumps between screens; focus moves to the new screen's heading for screen readers.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey) return;
      const target = screens.find((screen) => screen.shortcut === event.key);
      if (target) {
        event.preventDefault();
        window.location.hash = `#/${target.id}`;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('#screen-title')?.focus();
  }, [route, routePath]);

  const Current = route === 'runs' ? RunScreen : current.component;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Sluice</div>
        <ul>
          {screens.map((screen) => (
            <li key={screen.id}>
              <a
                href={`#/${screen.id}`}
                aria-current={screen.id === route ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${screen.shortcut}`}
              >
                {screen.label}
              </a>
            </li>
          ))}
        </ul>
        <LiveRunsNav {...(route === 'runs' ? { currentRunId: routePath } : {})} />
      </nav>
      <main id="main" ref={main}>
        <InterruptedRuns />
        <Current />
      </main>
      <StatusBar theme={theme} onToggleTheme={toggleTheme} />
    </div>
  );
}
