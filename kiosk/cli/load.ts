// `kiosk load`: K kiosks walking against a center process (kiosk/load.ts). Exit 0 when no cross-session document
// was found and every walk held, 1 otherwise, 2 on a wrong command line.
import { UsageError, type Flags } from './flags.ts';

export async function load(flags: Flags, json: boolean, out: Console): Promise<number> {
  const centers = Number(flags.centers ?? 1);
  if (centers > 1) {
    throw new UsageError(`--centers ${centers}: several center processes serve one region from one shared database, which needs the PostgreSQL backend (not built yet); run --centers 1`);
  }
  const { runLoad } = await import('../load.ts');
  const say = (line: string) => (json ? out.error(line) : out.log(line));
  const r = await runLoad({
    kiosks: Number(flags.kiosks ?? 8), centers, durationS: Number(flags.duration ?? 10), seed: Number(flags.seed ?? 1), say,
  });
  const l = r.latencyMs.all;
  say(`${r.kiosks} kiosks on ${r.centers} center for ${r.seconds.toFixed(1)} s: ${r.journeys} journeys (${r.journeysPerSecond}/s), ${r.steps} steps (${r.stepsPerSecond}/s)`);
  say(`center latency (${l.calls} calls): p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms`);
  for (const [name, x] of Object.entries(r.latencyMs)) if (name !== 'all') say(`  ${name.padEnd(16)} ${String(x.calls).padStart(6)} calls  p50 ${x.p50}  p95 ${x.p95}  p99 ${x.p99} ms`);
  say(`documents: ${r.documents.issued} printed, ${r.documents.verified} verified at the center; ${r.documents.refusedSessions} sessions refused`);
  const x = r.crossSession[0];
  say(`cross-session documents: ${r.crossSession.length}${r.crossSession.length ? ` (first: ${x.kiosk} ${x.issuanceNumber} for ${x.expected}, whose card was read: the copy ${x.namesThem ? 'names them' : 'names someone else'}, the center's record names ${x.recorded ?? 'nobody'})` : ''}`);
  if (r.failures.length) say(`walks failed: ${r.failures.length} (kiosk journey walk --seed N replays one)`);
  if (json) out.log(JSON.stringify(r, null, 2));
  return r.crossSession.length || r.failures.length ? 1 : 0;
}
