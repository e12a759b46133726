// npm run soak [-- JOURNEYS [TERMINALS]]: the full soak (10,000 journeys on one terminal, then 500 terminals that
// come and go), printing the figures the README reports. Exit 1 when the heap grew by more than 10 MB, or a handle
// or a file descriptor was left open.
import { leaked, soak } from './soak-run.ts';

const journeys = Number(process.argv[2] ?? 10_000);
const terminals = Number(process.argv[3] ?? 500);
const f = await soak({ journeys, terminals, progress: (l) => console.log(`  ${l}`) });
const mb = (n: number) => `${n.toFixed(1)} MB`;
const money = f.money;
console.log(`soak: ${f.journeys} journeys on one terminal, then ${f.terminals} terminals started and stopped, in ${f.seconds.toFixed(0)} s`);
console.log(`  heap (after GC): ${mb(f.start.heapMB)} after warm-up → ${mb(f.end.heapMB)} after ${f.journeys} journeys (peak ${mb(f.peakHeapMB)}), ${mb(f.stopped.heapMB)} at the end`);
console.log(`  active handles: ${f.baseline.handles} before → ${f.start.handles} serving → ${f.end.handles} after the journeys → ${f.stopped.handles} stopped` +
  (f.stopped.handleKinds.length ? ` (${f.stopped.handleKinds.join(', ')})` : ''));
console.log(`  open fds: ${f.baseline.fds} before → ${f.start.fds} serving → ${f.end.fds} after the journeys → ${f.stopped.fds} stopped` +
  (f.leftOpen.length ? ` (still open: ${f.leftOpen.join(', ')}: the printer's font, read on demand, kept for the process)` : ''));
console.log(`  money: inserted ${money.inserted} = kept ${money.kept} + returned ${money.returned} + owed ${money.owed}`);
console.log(`  ended: ${Object.entries(f.ended).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
if (process.argv.includes('--json')) console.log(JSON.stringify(f));
const growth = f.end.heapMB - f.start.heapMB;
const problems = [
  growth > 10 && `the heap grew by ${mb(growth)}`,
  f.stopped.handles > f.baseline.handles && `${f.stopped.handles - f.baseline.handles} handles left open`,
  leaked(f.leftOpen).length > 0 && `file descriptors left open: ${leaked(f.leftOpen).join(', ')}`,
  f.end.fds > f.start.fds && `${f.end.fds - f.start.fds} file descriptors more after the journeys`,
  money.inserted !== money.kept + money.returned + money.owed && 'money not conserved',
].filter(Boolean);
if (problems.length) {
  console.error(`soak FAILED: ${problems.join('; ')}`);
  process.exitCode = 1;
}
