import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __longTasksMs?: number[];
  }
}

/** Records every long task (> 50 ms) on the page's main thread from the first script on. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasksMs = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasksMs!.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks seen since the page loaded (or since the last reset), in milliseconds. */
export async function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const seen = window.__longTasksMs ?? [];
    window.__longTasksMs = [];
    return seen;
  });
}

/** "3 long tasks, longest 72 ms" for the test output (measured, not asserted). */
export function describeLongTasks(durationsMs: number[]): string {
  if (durationsMs.length === 0) return 'no long task over 50 ms';
  return `${durationsMs.length} long tasks over 50 ms, longest ${Math.round(Math.max(...durationsMs))} ms`;
}
