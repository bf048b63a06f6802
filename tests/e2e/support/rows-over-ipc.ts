import type { Page } from '@playwright/test';
import type { WireCall, WireMessage } from '../../../core/contract';

/** What the page asked the host for on `runs:rows` and how many rows came back. */
export interface RowsTraffic {
  /** `runs:rows` calls answered. */
  calls: number;
  /** Rows that crossed from the host to the page in those answers. */
  rows: number;
  /** The filters the page sent with its calls (text only), in order. */
  filterTexts: string[];
}

/**
 * Watches the page's WebSocket to the host and counts the rows `runs:rows` sends, so a spec can
 * assert that a screen reads pages and not whole runs. `take` returns what was counted since the
 * last `take` and starts again.
 */
export function watchRowsTraffic(page: Page): { take: () => RowsTraffic } {
  const pending = new Set<number>();
  let traffic: RowsTraffic = { calls: 0, rows: 0, filterTexts: [] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const call = JSON.parse(String(payload)) as WireCall;
      if (call.type !== 'call' || call.channel !== 'runs:rows') return;
      pending.add(call.id);
      const filter = (call.payload as { filter?: { text?: string } }).filter;
      traffic.filterTexts.push(filter?.text ?? '');
    });
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as WireMessage;
      if (frame.type !== 'result' || !pending.delete(frame.id) || !frame.result.ok) return;
      traffic.calls += 1;
      traffic.rows += (frame.result.value as { rows: unknown[] }).rows.length;
    });
  });
  return {
    take: () => {
      const seen = traffic;
      traffic = { calls: 0, rows: 0, filterTexts: [] };
      return seen;
    },
  };
}
