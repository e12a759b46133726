// The soak in its CI form: 500 journeys of every kind on one long-lived terminal, then 20 terminals that come and go,
// in a process of its own (for --expose-gc, so the heap is measured after a full collection). The heap may not grow
// by more than 10 MB, and every handle and file descriptor the terminals opened must be closed again. The full soak
// (10,000 journeys) is `npm run soak`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { KINDS, leaked, type SoakFigures } from './soak-run.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

it('500 journeys in one process: the heap, handles and file descriptors come back', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/soak/soak.ts', '500', '20', '--json'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  const f = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as SoakFigures;
  console.log(r.stdout.split('\n').filter((l) => !l.startsWith('{')).join('\n'));
  expect(f.end.heapMB - f.start.heapMB).toBeLessThan(10);
  expect(f.end.handles).toBeLessThanOrEqual(f.start.handles);
  expect(f.stopped.handles).toBeLessThanOrEqual(f.baseline.handles);
  expect(f.end.fds).toBe(f.start.fds);
  expect(leaked(f.leftOpen)).toEqual([]);
  expect(f.money.inserted).toBe(f.money.kept + f.money.returned + f.money.owed);
  // Every kind of journey ended where it should have, some printing.
  expect(f.ended.collect).toBeGreaterThan(100);
  expect(Object.keys(f.ended).length).toBeGreaterThanOrEqual(10);
  expect(KINDS.length).toBeGreaterThan(20);
}, 300_000);
