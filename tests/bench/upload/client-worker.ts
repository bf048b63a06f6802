// One upload bench client process: runs one job at a time (a sender against a Sandbox list) and
// answers with the sender's figures and the CPU this process spent on it, so each job's client
// CPU is its own even though several workers run at once.
import { createSdkTransport } from '../../../core/engine/contacts/sdk-transport';
import { namedCells, randomCells } from './cells';
import { SENDERS, runSluice, type SenderName, type Target } from './senders';

export interface Job {
  kind: 'cell' | 'sdk';
  cellName: string;
  seed: number;
  sender: SenderName;
  targets: Array<Omit<Target, 'bindingRateAt' | 'maxInFlight'>>;
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (message: { id: number; job: Job }) => {
  const { job } = message;
  const cell = [...namedCells(), ...randomCells(job.seed, 8)].find((c) => c.name === job.cellName);
  const before = process.cpuUsage();
  try {
    const results = await Promise.all(
      job.targets.map((target) => {
        const full: Target = {
          ...target,
          ...(cell ? { bindingRateAt: cell.bindingRateAt } : {}),
          ...(cell?.maxInFlight ? { maxInFlight: cell.maxInFlight } : {}),
        };
        if (job.kind === 'sdk') {
          return runSluice(
            full,
            createSdkTransport({ baseUrl: target.url }, { timeoutMs: target.timeoutMs }),
          );
        }
        return SENDERS[job.sender](full);
      }),
    );
    const cpu = process.cpuUsage(before);
    process.send?.({ id: message.id, value: { results, cpuMs: (cpu.user + cpu.system) / 1000 } });
  } catch (error) {
    process.send?.({
      id: message.id,
      value: { error: error instanceof Error ? error.stack : String(error) },
    });
  }
});
