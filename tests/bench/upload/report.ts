// Renders the upload bench's Markdown: one row per cell with every sender side by side, then
// the targets' verdicts (median, every cell, beats AIMD, client CPU, three orgs at once).
import type { Cell } from './cells';
import type { SenderName } from './senders';

/** One sender's figures on one cell (the Sandbox's counts for requests, 429s, rows). */
export interface JobOutcome {
  cell: Cell;
  label: string;
  kind: 'cell' | 'sdk';
  sender: SenderName;
  rows: number;
  contactsPerSecond: number;
  ceilingContactsPerSecond: number;
  requests: number;
  throttled: number;
  lost: number;
  duplicated: number;
  cpuMsPer100kRows: number;
}

const pct = (value: number): string => `${(100 * value).toFixed(1)}%`;
const share = (o: JobOutcome): number => o.contactsPerSecond / o.ceilingContactsPerSecond;
const rate429 = (o: JobOutcome): number => o.throttled / Math.max(1, o.requests);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The Markdown section. */
export function renderReport(
  outcomes: JobOutcome[],
  run: {
    seed: number;
    wallSeconds: number;
    timeScale: number;
    batch: number;
    concurrency: number;
    /** Every cell's name in the matrix's order. */
    cellNames: string[];
  },
): string {
  // rows in the matrix's own order (named cells, then random ones), not in finishing order
  const cellOrder = run.cellNames.filter((name) =>
    outcomes.some((o) => o.kind === 'cell' && o.label === name),
  );
  const find = (label: string, sender: SenderName) =>
    outcomes.find((o) => o.kind === 'cell' && o.label === label && o.sender === sender);

  const lines: string[] = [];
  const verdicts = { cells: 0, targets: 0, beatsAimd: 0 };
  const sluiceShares: number[] = [];
  const cpuRatios: number[] = [];
  for (const label of cellOrder) {
    const s = find(label, 'sluice');
    const a = find(label, 'aimd');
    const o = find(label, 'oracle');
    const r = find(label, 'field-recipe');
    const cell = (s ?? a ?? o ?? r)?.cell;
    if (!cell) continue;
    const figure = (x: JobOutcome | undefined) =>
      x ? `${pct(share(x))} / ${pct(rate429(x))}` : '–';
    let verdict = '–';
    if (s) {
      verdicts.cells += 1;
      sluiceShares.push(share(s));
      const misses: string[] = [];
      if (share(s) < 0.9) misses.push('< 90%');
      if (rate429(s) > 0.02) misses.push('> 2% 429');
      if (s.lost > 0) misses.push('lost');
      if (s.duplicated > 0) misses.push('duplicated');
      if (misses.length === 0) verdicts.targets += 1;
      const beats = a ? share(s) > share(a) && rate429(s) <= rate429(a) : false;
      if (beats) verdicts.beatsAimd += 1;
      verdict = `${misses.length === 0 ? 'met' : misses.join(', ')}; ${beats ? 'beats AIMD' : 'does not beat AIMD'}`;
      if (o && o.cpuMsPer100kRows > 0) cpuRatios.push(s.cpuMsPer100kRows / o.cpuMsPer100kRows);
    }
    const lostDup = (x: JobOutcome | undefined) => (x ? `${x.lost} / ${x.duplicated}` : '–');
    const cpu = (x: JobOutcome | undefined) => (x ? (x.cpuMsPer100kRows / 1000).toFixed(1) : '–');
    lines.push(
      `| ${label} | ${cell.note} | ${figure(s)} | ${figure(a)} | ${figure(o)} | ${figure(r)} | ${lostDup(s)} | ${lostDup(a)} | ${lostDup(r)} | ${cpu(s)} / ${cpu(o)} | ${verdict} |`,
    );
  }

  const solo = find('honest', 'sluice');
  const threeOrgs = outcomes.filter((x) => x.label.startsWith('three orgs at once'));
  const threeLines = threeOrgs.map((x) => {
    const delta = solo ? share(x) / share(solo) - 1 : NaN;
    return `| ${x.label} | ${pct(share(x))} | ${pct(rate429(x))} | ${x.lost} / ${x.duplicated} | ${Number.isFinite(delta) ? `${(100 * delta).toFixed(1)}%` : '–'} |`;
  });
  const sdk = outcomes.find((x) => x.kind === 'sdk');
  const medianShare = median(sluiceShares);
  return [
    '### Upload engine: Sluice against the field recipe, plain AIMD and an oracle, on a matrix of limiter shapes',
    '',
    `Each cell is one Sandbox configuration (core/sandbox/README.md, "Limiters"); every sender runs it on its own Sandbox, ${run.concurrency} jobs at a time, the Sandboxes in one child process and each sender in a client process of its own, so client CPU is the sender's alone. Random cells are drawn with seed **${run.seed}** (replay: \`UPLOAD_BENCH_SEED=${run.seed} npm run bench upload\`). Scaled: the reported per-client layer "300 per minute" is 40 per 2 s (20 requests/s), hidden layers keep their share of it and their window's proportion (1 s → 0.25 s, 2 min → 8 s), and the engine's time constants are divided by ${run.timeScale}; Retry-After stays in whole seconds as the Sandbox sends it, so it is as coarse next to these windows as a real one is next to a minute. ${run.batch} contacts per request, at least 300 requests per cell and at least 8 windows of the binding layer.`,
    '',
    "Cells show **% of the binding ceiling / % of requests answered 429** (counted on the Sandbox). The ceiling is the binding layer's rate averaged over the run (what a background consumer leaves, the dropped limit while it is dropped), after the 10% headroom when the reported layer binds: Sluice leaves that 10% to the customer's own traffic on purpose, the baselines do not, so they can exceed 100% there. Baselines: **AIMD** paces from the published limit, +1% per success, ×0.8 per 429, waits max(Retry-After or the 429 message's N, full jitter), retries with ids; **oracle** is told the binding rate over time and paces exactly at it; **field recipe** is the field report's (no ids, 5 attempts, 2–30 s backoff without jitter). Lost / duplicated are rows never stored / extra copies stored, on the Sandbox. Targets (Sluice): ≥ 90% of the ceiling, ≤ 2% 429s, 0 lost, 0 duplicated, beating AIMD on throughput with no more 429s.",
    '',
    '| cell | models | Sluice | AIMD | oracle | field recipe | Sluice lost / dup | AIMD lost / dup | recipe lost / dup | CPU s / 100k rows, Sluice / oracle | Sluice |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...lines,
    '',
    `- Median over ${sluiceShares.length} cells: **${pct(medianShare)}** of the ceiling (target ≥ 95%).`,
    `- Every target met in **${verdicts.targets} of ${verdicts.cells}** cells; beats AIMD in **${verdicts.beatsAimd} of ${verdicts.cells}**.`,
    `- Client CPU per 100k rows, Sluice ÷ oracle (median over cells): **${median(cpuRatios).toFixed(2)}×** (target ≤ 1.5×).`,
    ...(sdk
      ? [
          `- The same honest cell with the official SDK as transport: ${pct(share(sdk))}, ${(sdk.cpuMsPer100kRows / 1000).toFixed(1)} CPU s / 100k rows (fetch: ${solo ? (solo.cpuMsPer100kRows / 1000).toFixed(1) : '–'}).`,
        ]
      : []),
    `- Whole bench: ${run.wallSeconds.toFixed(0)} s wall.`,
    '',
    ...(threeLines.length
      ? [
          '#### Three orgs at once (honest cell, one Sluice run per org, concurrently)',
          '',
          '| org | % of ceiling | 429 share | lost / dup | vs solo |',
          '| --- | ---: | ---: | ---: | ---: |',
          ...threeLines,
          '',
        ]
      : []),
  ].join('\n');
}
