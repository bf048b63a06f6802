// The upload bench's Sandbox process: hosts one Sandbox per running job, so the client processes'
// CPU is the clients' alone. Commands arrive over IPC as {id, cmd, args}; answers are {id, value}.
// Every Sandbox reads one sub-millisecond clock: with `Date.now` a request paced exactly at a
// limit's rate (83.33 ms apart) is stamped 83 ms apart and a zero-tolerance token bucket
// refuses it, a refusal the clock made up, not the sender.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startSandbox, type Sandbox } from '../../../core/sandbox';
import type { ListStats } from './score';

const boxes = new Map<string, Sandbox>();
const clock = (): number => performance.timeOrigin + performance.now();
// how late this process's event loop runs, i.e. how starved the Sandboxes are (reset per phase)
const LOOP_SAMPLE_MS = 5;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
loopDelay.enable();

function listStats(box: Sandbox | undefined, listId: string): ListStats {
  const contacts = box?.inspect.contacts(listId) ?? [];
  const log = box?.inspect.requests() ?? [];
  const posts = log.filter(
    (entry) =>
      entry.method === 'POST' && entry.path.includes(listId) && entry.path.endsWith('/contacts'),
  );
  const orgId = posts[0]?.orgId;
  const storing = posts.filter(
    (entry) => entry.status === 200 || entry.outcome === 'commit-then-drop',
  );
  const last = storing[storing.length - 1];
  const firstApi = log.find((entry) => entry.orgId === orgId && entry.path.startsWith('/api/v2/'));
  return {
    stored: contacts.length,
    unique: new Set(contacts.map((c) => c.data.Key)).size,
    posts: posts.length,
    throttled: posts.filter((entry) => entry.status === 429).length,
    firstPostMs: posts[0]?.atMs ?? NaN,
    lastStoringPostMs: last?.atMs ?? NaN,
    lastStoringCount: last?.contactCount ?? 0,
    firstApiRequestMs: firstApi?.atMs ?? posts[0]?.atMs ?? NaN,
  };
}

process.on('disconnect', () => process.exit(0));
process.on(
  'message',
  async (message: { id: number; cmd: string; args: Record<string, unknown> }) => {
    const reply = (value: unknown): void => void process.send?.({ id: message.id, value });
    const key = String(message.args.key ?? '');
    try {
      if (message.cmd === 'start') {
        const options = message.args.options as Parameters<typeof startSandbox>[0];
        const box = await startSandbox({ ...options, now: clock });
        boxes.set(key, box);
        reply({ url: box.url, orgs: box.orgs });
      } else if (message.cmd === 'list') {
        const list = boxes.get(key)?.inspect.createContactList(String(message.args.orgId), {
          name: `Bench ${message.id}`,
          columnNames: ['Key', 'FirstName', 'LastName', 'HomePhone'],
          phoneColumns: [{ columnName: 'HomePhone', type: 'Home' }],
        });
        reply(list?.id);
      } else if (message.cmd === 'stats') {
        reply(listStats(boxes.get(key), String(message.args.listId)));
      } else if (message.cmd === 'loop-delay') {
        // lateness in ms since the last call (the histogram holds whole sampling intervals), then afresh
        const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
        reply({
          p50Ms: lateMs(loopDelay.percentile(50)),
          p99Ms: lateMs(loopDelay.percentile(99)),
          maxMs: lateMs(loopDelay.max),
        });
        loopDelay.reset();
      } else if (message.cmd === 'stop') {
        await boxes.get(key)?.stop();
        boxes.delete(key);
        reply(true);
      }
    } catch (error) {
      reply({ error: error instanceof Error ? error.message : String(error) });
    }
  },
);
