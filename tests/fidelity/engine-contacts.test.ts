import { afterAll, beforeAll, describe, expect } from 'vitest';
import { POST_CONTACTS_ROUTE } from '../../core/sandbox';
import { longWaitReason } from '../../core/engine/contacts/batch-retry';
import {
  contactPosts,
  expectRequeuedWithPriority,
  engineRun,
  removeRunsFolder,
  runEngine,
  runsFolder,
  scratchList,
  scratchRows,
  withSandbox,
} from './engine-run';
import { sandboxOnly } from './target';

/**
 * What the engine sends for the Genesys facts of docs/GENESYS.md, checked on the Sandbox's side
 * (request log, stored contacts, per-contact write records). Sandbox-only: they read the
 * Sandbox's inspection API, script answers or play a campaign.
 */
const reason = "reads the Sandbox's request log and contact records";

let folder: string;
beforeAll(() => {
  folder = runsFolder();
});
afterAll(() => removeRunsFolder(folder));

describe('queue flags of the engine (SDK 262 OutboundApi.js postOutboundContactlistContacts)', () => {
  sandboxOnly(
    '#contact-do-not-queue: every POST of a default run carries doNotQueue=true, and a resend leaves dialed contacts dialed',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'dnq');
        const source = scratchRows(250, 'dnq-');
        const first = await runEngine(sandbox, listId, { folder, runId: 'dnq-1', source });
        expect(first).toMatchObject({ uploaded: 250, invariant: { holds: true } });
        expect(sandbox.inspect.markDialed(listId)).toBe(250);

        // the same rows again, as a second load or a resume after a lost answer would send them
        const again = await runEngine(sandbox, listId, { folder, runId: 'dnq-2', source });
        expect(again).toMatchObject({ uploaded: 250, invariant: { holds: true } });

        const posts = contactPosts(sandbox);
        expect(posts.length).toBeGreaterThanOrEqual(6); // 3 batches per run
        for (const post of posts) expect(post.query).toMatchObject({ doNotQueue: 'true' });
        const records = sandbox.inspect.contactWrites(listId);
        expect(records).toHaveLength(250);
        for (const record of records) {
          expect(record).toMatchObject({
            writes: 2,
            queueState: 'dialed',
            lastFlags: { doNotQueue: true, priority: false, clearSystemData: false },
          });
        }
      }),
  );

  sandboxOnly(
    '#contact-do-not-queue, #contact-priority: the requeueUpdated option re-queues updated contacts on purpose, with priority',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'requeue');
        const source = scratchRows(40, 'rq-');
        await runEngine(sandbox, listId, { folder, runId: 'rq-1', source });
        sandbox.inspect.markDialed(listId);
        sandbox.inspect.clearRequests();
        const summary = await runEngine(sandbox, listId, {
          folder,
          runId: 'rq-2',
          source,
          writeOptions: { requeueUpdated: true, priority: true, clearSystemData: false },
        });
        expect(summary).toMatchObject({ uploaded: 40, invariant: { holds: true } });
        expectRequeuedWithPriority(sandbox, listId);
      }),
  );

  sandboxOnly(
    '#contact-clear-system-data: the clearSystemData option clears the attempts of updated contacts',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'clear');
        const source = scratchRows(10, 'clr-');
        await runEngine(sandbox, listId, { folder, runId: 'clr-1', source });
        sandbox.inspect.markDialed(listId);
        await runEngine(sandbox, listId, {
          folder,
          runId: 'clr-2',
          source,
          writeOptions: { requeueUpdated: false, priority: false, clearSystemData: true },
        });
        for (const record of sandbox.inspect.contactWrites(listId))
          expect(record).toMatchObject({
            dialAttempts: 0,
            lastFlags: { doNotQueue: true, clearSystemData: true },
          });
      }),
  );
});

describe('request-level errors cost one request (docs/GENESYS.md#request-level-errors)', () => {
  const scripted = (status: number, code: string, message: string, count = 1) => ({
    route: POST_CONTACTS_ROUTE,
    status,
    code,
    message,
    count,
  });

  for (const [status, code, state] of [
    [409, 'resource.conflict', 'completed'],
    [403, 'missing.permissions', 'stopped'],
    [404, 'not.found', 'stopped'],
  ] as const) {
    sandboxOnly(
      `#request-level-errors (Genesys API definitions: ${status} on POST contacts): a batch of 50 answered ${status} is one request, never bisected`,
      reason,
      () =>
        withSandbox({}, async (sandbox) => {
          const listId = scratchList(sandbox, `status-${status}`);
          sandbox.inspect.scriptAnswers([scripted(status, code, `Scripted ${status}.`)]);
          const summary = await runEngine(sandbox, listId, {
            folder,
            runId: `status-${status}`,
            source: scratchRows(50, `s${status}-`),
            batchSize: 50,
          });
          expect(summary).toMatchObject({ state, failed: 50, invariant: { holds: true } });
          const posts = contactPosts(sandbox);
          // one request, the whole batch in it (no halves of 25 followed)
          expect(posts.map((post) => post.status)).toEqual([status]);
          expect(sandbox.inspect.contacts(listId)).toHaveLength(0);
        }),
    );
  }

  sandboxOnly(
    '#permissions (SDK OutboundApi.js endpoint docs): a 403 on the contact POST stops the run naming outbound:contact:add',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'permissions');
        sandbox.inspect.scriptAnswers([
          scripted(403, 'missing.permissions', 'You are missing the following permission(s).'),
        ]);
        const summary = await runEngine(sandbox, listId, {
          folder,
          runId: 'permissions',
          source: scratchRows(10, 'perm-'),
        });
        expect(summary.state).toBe('stopped');
        expect(summary.stateReason).toMatch(
          /403: You are missing the following permission\(s\)\..*outbound:contact:add and outbound:contactList:view/,
        );
      }),
  );

  sandboxOnly(
    '#request-level-errors: a 401 refreshes the token once; a second 401 stops the run, never bisected',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'status-401');
        sandbox.inspect.scriptAnswers([scripted(401, 'bad.credentials', 'Scripted 401.', 2)]);
        const summary = await runEngine(sandbox, listId, {
          folder,
          runId: 'status-401',
          source: scratchRows(50, 's401-'),
          batchSize: 50,
        });
        expect(summary).toMatchObject({ state: 'stopped', failed: 50, invariant: { holds: true } });
        const posts = contactPosts(sandbox);
        expect(posts.map((post) => post.status)).toEqual([401, 401]);
        expect(posts[1]?.bodyBytes).toBe(posts[0]?.bodyBytes); // the same 50 contacts, not a half
      }),
  );

  sandboxOnly(
    '#list-capacity (help "Create a new contact list"): a batch past the list cap is one request and stops the run with the counts',
    'needs a list cap lowered to 30',
    () =>
      withSandbox({ rules: { maxContactsPerList: 30 } }, async (sandbox) => {
        const listId = scratchList(sandbox, 'full');
        const summary = await runEngine(sandbox, listId, {
          folder,
          runId: 'full',
          source: scratchRows(50, 'full-'),
          batchSize: 50,
        });
        expect(summary).toMatchObject({ state: 'stopped', failed: 50, invariant: { holds: true } });
        expect(summary.stateReason).toMatch(/full|limit/i);
        expect(contactPosts(sandbox).map((post) => post.status)).toEqual([400]);
      }),
  );
});

describe('long waits (docs/GENESYS.md#retry-after-long, #rate-limit-429-body)', () => {
  sandboxOnly(
    '#retry-after-long (gc CLI restclient.go): a 429 asking for 300 s, past the 120 s cap, pauses the run with the reason after one request',
    reason,
    () =>
      withSandbox({}, async (sandbox) => {
        const listId = scratchList(sandbox, 'long-wait');
        sandbox.inspect.scriptAnswers([
          {
            route: POST_CONTACTS_ROUTE,
            status: 429,
            code: 'too.many.requests.retry.after',
            message: 'Rate limit exceeded the maximum. Retry the request in [300] seconds',
            count: 1,
          },
        ]);
        const run = engineRun(sandbox, listId, {
          folder,
          runId: 'long-wait',
          source: scratchRows(20, 'lw-'),
          batchSize: 20,
          extra: { workers: 1 },
        });
        const summary = await run.start();
        expect(summary.state).toBe('paused');
        expect(summary.stateReason).toBe(longWaitReason(300_000));
        expect(summary.stateReason).toBe('Genesys asked to wait 300 s; paused: resume when ready.');
        expect(contactPosts(sandbox).map((post) => post.status)).toEqual([429]);
        expect(summary).toMatchObject({ uploaded: 0, failed: 0 });
        run.cancel('test over');
      }),
  );

  sandboxOnly(
    '#rate-limit-429-body (field reports): with no Retry-After header, the engine waits the seconds the message names',
    reason,
    () =>
      withSandbox(
        {
          retryAfterMode: 'message-only',
          limits: [
            {
              name: 'tiny',
              scope: 'client',
              endpoint: POST_CONTACTS_ROUTE,
              requests: 2,
              windowMs: 2000,
              window: 'fixed',
              reported: false,
            },
          ],
        },
        async (sandbox) => {
          const listId = scratchList(sandbox, 'message-only');
          const summary = await runEngine(sandbox, listId, {
            folder,
            runId: 'message-only',
            source: scratchRows(60, 'mo-'),
            batchSize: 20,
            extra: { workers: 1 },
          });
          expect(summary).toMatchObject({ uploaded: 60, invariant: { holds: true } });
          expect(summary.throttled).toBeGreaterThan(0);
          const posts = contactPosts(sandbox);
          expect(sandbox.inspect.contacts(listId)).toHaveLength(60);
          // after each 429 the next POST waited at least the whole seconds the message named
          // (the window's reset, ≥ 1 s): the Sandbox's own clock, a lower bound only
          for (let index = 0; index < posts.length - 1; index += 1) {
            const post = posts[index]!;
            if (post.status !== 429) continue;
            expect(posts[index + 1]!.atMs - post.atMs).toBeGreaterThanOrEqual(1000);
          }
        },
      ),
  );
});
