import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import Papa from 'papaparse';
import { autoMapping, openCsv, prepareCsv, prepareCsvInWorker, readContactListSchema } from './core/csv/index';
const COLS = ['CustomerId','FirstName','LastName','Email','City','Zip','Balance'];
const path = '/tmp/xl/p7.csv';
if (!existsSync(path)) {
  const out = createWriteStream(path); out.write(COLS.join(',') + '\r\n');
  let chunk = '';
  for (let i = 0; i < 500000; i++) { chunk += `C${i},First${i%97},Last${i%89},person${i}@example.com,"Springfield, IL",${String(10000+i%89999)},${(i%5000)/4}\r\n`; if (chunk.length > 1<<20) { if (!out.write(chunk)) await once(out,'drain'); chunk=''; } }
  out.end(chunk); await once(out,'finish');
}
const mode = process.argv[2];
const t = performance.now(); let rows = 0; const cpu0 = process.cpuUsage();
if (mode === 'fast') {
  await new Promise<void>((resolve) => Papa.parse(createReadStream(path, {encoding: 'utf8'}) as any, { step: () => { rows++; }, complete: () => resolve() } as any));
} else if (mode === 'parse') {
  for await (const b of (await openCsv(path)).batches()) rows += b.length;
} else {
  const schema = readContactListSchema({ columnNames: COLS });
  const mapping = { ...autoMapping(COLS, schema), contactId: { kind: 'column' as const, column: 'CustomerId' } };
  const s = await (mode === 'worker' ? prepareCsvInWorker : prepareCsv)({ csvPath: path, schema, mapping, outPath: '/tmp/xl/p7.clean.csv', rejectsPath: '/tmp/xl/p7.rej.csv', normalizePhones: false });
  rows = s.rowsRead; if (s.rejected) console.log('rejected', s.rejected, s.byRule);
}
const cpu = process.cpuUsage(cpu0); console.log('cpu', ((cpu.user + cpu.system) / 1e6).toFixed(2));
console.log(mode, rows, ((performance.now() - t)/1000).toFixed(2), 's', Math.round(rows / ((performance.now()-t)/1000)), 'rows/s', Math.round(process.resourceUsage().maxRSS/1024), 'MB');
