// The upload bench's Sandbox process: hosts one Sandbox per running job, so the client processes'
// CPU is the clients' alone. Commands arrive over IPC as {id, cmd, args}; answers are {id, value}.
import { startSandbox, type Sandbox } from '../../../core/sandbox';

const boxes = new Map<string, Sandbox>();

process.on('disconnect', () => process.exit(0));
process.on(
  'message',
  async (message: { id: number; cmd: string; args: Record<string, unknown> }) => {
    const reply = (value: unknown): void => void process.send?.({ id: message.id, value });
    const key = String(message.args.key ?? '');
    try {
      if (message.cmd === 'start') {
        const box = await startSandbox(message.args.options as Parameters<typeof startSandbox>[0]);
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
        const box = boxes.get(key);
        const listId = String(message.args.listId);
        const contacts = box?.inspect.contacts(listId) ?? [];
        const posts = (box?.inspect.requests() ?? []).filter(
          (entry) =>
            entry.method === 'POST' &&
            entry.path.includes(listId) &&
            entry.path.endsWith('/contacts'),
        );
        reply({
          stored: contacts.length,
          unique: new Set(contacts.map((c) => c.data.Key)).size,
          posts: posts.length,
          throttled: posts.filter((entry) => entry.status === 429).length,
        });
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
