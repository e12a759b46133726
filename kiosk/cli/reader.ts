// `kiosk reader list | watch | probe`: diagnostics for reader vendors. `list` and `watch` show what pcscd sees (like
// pcsc_scan); `probe` runs reader/diagnostics/probe.ts over the card in one reader and prints its findings, or the ProbeReport as
// JSON (reader/diagnostics/PROBE.md). `probe --sim PERSONA` probes a persona's virtual card in an in-process reader, so the
// command can be tried without pcscd. Exit codes as for every kiosk command: 0 done, 1 it could not be done (no
// pcscd, no reader, no card), 2 bad input (UsageError, thrown to main).
import { formatAtr } from '../../reader/diagnostics/atr.ts';
import { NoPcscReaderError, PcscReader, PcscUnavailableError } from '../../reader/pcsc-reader.ts';
import { PcscdNotRunningError, listReaders, watchReaders, type ReaderInfo, type ReaderWatchEvent } from '../../reader/diagnostics/pcsc-watch.ts';
import { ProbeInterruptedError, probeCard, type ProbeReport } from '../../reader/diagnostics/probe.ts';
import { formatConformance, runConformance, type ConformanceCheck } from '../../reader/diagnostics/conformance.ts';
import type { CardSession } from '../../reader/session.ts';
import { cardEvent, type CardReader } from '../../reader/reader.ts';
import { entryOf } from '../../reader/trace.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { openTrace, UsageError, type Check, type Flags } from './flags.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

/** The reader has no card (after waiting --wait ms for one). */
export class NoCardInReaderError extends Error {
  override readonly name = 'NoCardInReaderError';
  constructor(reader: string, waitedMs: number) {
    super(`no card is in "${reader}" (waited ${waitedMs} ms): place a card on the reader, or serve a virtual one with ` +
      '`kiosk card serve --persona ID --slot 0|1`, then run the probe again');
  }
}

/** Errors that mean "could not be done here", reported with exit 1 rather than a stack trace. */
const OPERATIONAL = [PcscUnavailableError, PcscdNotRunningError, NoPcscReaderError, NoCardInReaderError, ProbeInterruptedError];


/** `kiosk reader list | watch | probe`, its flags parsed and checked (main.ts). */
export async function readerCommand(sub: 'list' | 'watch' | 'probe', flags: Flags, json: boolean, out: Console, options: { signal?: AbortSignal } = {}): Promise<number> {
  try {
    switch (sub) {
      case 'list':
        return await list(flags, json, out);
      case 'watch':
        return await watch(json, out, options.signal);
      default:
        return await probe(flags, json, out);
    }
  } catch (e) {
    if (OPERATIONAL.some((type) => e instanceof type)) {
      out.error(`kiosk reader: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}

async function list(flags: Flags, json: boolean, out: Console): Promise<number> {
  const readers = await listReaders({ waitMs: Number(flags.wait ?? 1500) });
  if (json) {
    out.log(JSON.stringify(readers, null, 2));
    return 0;
  }
  out.log(formatReaderList(readers).join('\n'));
  return 0;
}

export function formatReaderList(readers: ReaderInfo[]): string[] {
  if (!readers.length) return ['No readers: pcscd sees none (plug one in, or check its driver with `pcscd --foreground --debug`).'];
  return readers.flatMap((r, i) => [
    `${i}: ${r.name}`,
    `   Card state: ${r.cardPresent ? 'Card inserted' : 'No card'}${r.state.length ? ` (${r.state.join(', ')})` : ''}`,
    ...(r.atr ? [`   ATR: ${r.atr}`] : []),
  ]);
}

export function formatWatchEvent(e: ReaderWatchEvent): string {
  return `${e.at}  ${e.reader}  ${e.event}${e.atr ? `  ATR ${e.atr}` : ''}${e.mute ? '  (mute: pcscd cannot talk to this card)' : ''}`;
}

async function watch(json: boolean, out: Console, signal?: AbortSignal): Promise<number> {
  // Ctrl+C (or SIGTERM) ends the watch when no signal is given, as for `kiosk start`.
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (!signal) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  try {
    if (!json) out.log('Watching the readers pcscd sees (Ctrl+C to stop).');
    await watchReaders((e) => out.log(json ? JSON.stringify(e) : formatWatchEvent(e)), {
      signal: signal ?? controller.signal,
      onProblem: (message) => out.error(`kiosk reader: ${message}`),
    });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export const simPersonaFlag: Check = (v) => {
  const data = loadSampleData();
  return data.personas.some((p) => p.id === v) ? null : `No persona "${v}". Known personas: ${data.personas.map((p) => p.id).join(', ')}`;
};

async function probe(flags: Flags, json: boolean, out: Console): Promise<number> {
  const data = loadSampleData();
  if (flags.reader !== undefined && flags.sim !== undefined) throw new UsageError('--reader and --sim exclude each other: probe a PC/SC reader or a simulated one');

  const trace = flags.trace ? openTrace(flags.trace) : null;
  const traced = (reader: CardReader) => trace && reader.onExchange((e) => trace.write(entryOf(e, reader.name, 'kiosk reader probe')));
  if (flags.conformance === 'true') {
    try {
      const { readerName, checks } = await conformance(flags, traced, out);
      out.log(json ? JSON.stringify({ format: 'kiosk-reader-conformance/1', reader: readerName, checks }, null, 2) : formatConformance(readerName, checks).join('\n'));
      return checks.some((c) => c.result === 'failed') ? 1 : 0;
    } finally {
      trace?.close();
    }
  }
  if (flags.events === 'true') throw new UsageError('--events goes with --conformance');
  let report: ProbeReport;
  try {
    if (flags.sim !== undefined) {
      const reader = new SimReader();
      reader.insert(data.makeCard(flags.sim!, Date.now()));
      traced(reader);
      report = await probeCard(reader.connect(), { readerName: reader.name });
    } else {
      report = await probePcsc(flags.reader, Number(flags.wait ?? 1500), traced);
    }
  } finally {
    trace?.close();
  }
  out.log(json ? JSON.stringify(report, null, 2) : formatProbeReport(report).join('\n'));
  return 0;
}

/** The conformance checks on a simulated reader (this process takes the card out and puts it back) or a PC/SC one. */
async function conformance(flags: Flags, traced: (reader: CardReader) => unknown, out: Console): Promise<{ readerName: string; checks: ConformanceCheck[] }> {
  const waitMs = Number(flags.wait ?? 1500);
  const events = flags.events === 'true';
  if (flags.sim !== undefined) {
    const reader = new SimReader();
    const card = loadSampleData().makeCard(flags.sim!, Date.now());
    reader.insert(card);
    traced(reader);
    const checks = await runConformance({
      session: () => reader.connect(),
      events: events ? { removed: () => cardEvent(reader, 'removed', 1000, () => reader.remove()), inserted: () => cardEvent(reader, 'inserted', 1000, () => reader.insert(card)) } : null,
    });
    return { readerName: reader.name, checks };
  }
  const reader = new PcscReader({ name: flags.reader, waitMs: Math.max(waitMs, 1000) });
  traced(reader);
  try {
    await reader.open();
    if (!reader.cardPresent) await cardEvent(reader, 'inserted', waitMs);
    if (!reader.cardPresent) throw new NoCardInReaderError(reader.name, waitMs);
    const eventWait = Math.max(waitMs, 20_000);
    const checks = await runConformance({
      session: () => reader.connect(),
      protocol: () => reader.protocol,
      secondProgram: async () => {
        const other = await new PcscReader({ name: reader.name, waitMs: Math.max(waitMs, 1000) }).open();
        if (!other.cardPresent) await cardEvent(other, 'inserted', waitMs);
        return { session: other.connect(), close: () => other.close() };
      },
      events: events ? {
        removed: () => cardEvent(reader, 'removed', eventWait, () => out.error(`Take the card out of ${reader.name} (within ${eventWait / 1000} s)…`)),
        inserted: () => cardEvent(reader, 'inserted', eventWait, () => out.error(`Put it back (within ${eventWait / 1000} s)…`)),
      } : null,
    });
    return { readerName: reader.name, checks };
  } finally {
    reader.close();
  }
}

async function probePcsc(name: string | undefined, waitMs: number, traced: (reader: CardReader) => unknown): Promise<ProbeReport> {
  const reader = new PcscReader({ name, waitMs: Math.max(waitMs, 1000) });
  traced(reader);
  try {
    // PcscUnavailableError, PcscdNotRunningError or NoPcscReaderError, each saying what to do.
    await reader.open();
    // The reader's first status (with the card) comes just after the reader itself; a card placed now still counts.
    if (!reader.cardPresent) await cardEvent(reader, 'inserted', waitMs);
    if (!reader.cardPresent) throw new NoCardInReaderError(reader.name, waitMs);
    const session: CardSession = reader.connect();
    return await probeCard(session, { readerName: reader.name });
  } finally {
    reader.close();
  }
}

const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

/** The human form of a probe: pcsc_scan's reader block and ATR analysis, then one section per finding. */
export function formatProbeReport(r: ProbeReport): string[] {
  const lines: string[] = [];
  lines.push(`Reader: ${r.reader}`);
  lines.push('  Card state: Card inserted');
  lines.push(`  ATR: ${r.atr.hex || '(none)'}`);
  lines.push('');
  if ('error' in r.atr) lines.push(`ATR: ${r.atr.hex || '(none)'}`, `  Malformed: ${r.atr.error}`);
  else lines.push(...formatAtr(r.atr));
  lines.push('');

  lines.push(`Card type: ${r.cardType}${r.token !== null ? ` (token EF 0006: "${r.token}")` : ''}`);
  lines.push('');

  lines.push('Applications (SELECT by AID, P2=0C):');
  for (const a of r.applications) lines.push(`  ${pad(a.present ? 'present' : 'absent', 8)} ${pad(a.sw ?? '----', 5)} ${a.aid}  ${a.name}`);
  lines.push('');

  lines.push('User-authentication certificate (EF 000A):');
  const c = r.userCertificate;
  if (!c) lines.push('  none (no JPKI AP or no EF 000A)');
  else {
    if (c.subject !== null) {
      lines.push(`  Subject:    ${c.subject}`);
      lines.push(`  Issuer:     ${c.issuer}`);
      lines.push(`  Serial:     ${c.serialNumber}`);
      lines.push(`  Valid:      ${c.notBefore} to ${c.notAfter}`);
      lines.push(`  Public key: ${c.publicKey}`);
    }
    lines.push(`  Size:       ${c.bytes} bytes`);
    if (c.sha256) lines.push(`  SHA-256:    ${c.sha256}`);
    if (c.error) lines.push(`  Problem:    ${c.error}`);
  }
  lines.push('');

  lines.push('PIN counters (empty VERIFY: no try is spent):');
  for (const p of r.pins) {
    const state = p.triesLeft !== null ? `${p.triesLeft} of ${p.maxTries} tries left${p.state === 'locked' ? ' (LOCKED)' : ''}` : p.state;
    lines.push(`  EF ${p.efid}  ${pad(state, 26)} ${pad(p.sw ?? '----', 5)} ${p.name}`);
    if (p.state !== 'available') lines.push(`           ${p.detail}`);
  }
  lines.push('');

  const x = r.extendedApdu;
  lines.push(`Extended APDU: ${x.supported === null ? 'not tested' : x.supported ? 'supported' : 'NOT supported'}`);
  lines.push(`  ${x.detail}`);
  if (x.readerNote) lines.push(`  Note: ${x.readerNote}.`);
  if (x.atrAnnounces !== null) lines.push(`  The ATR's card capabilities ${x.atrAnnounces ? 'announce' : 'do not announce'} extended Lc/Le.`);
  lines.push('');

  lines.push('APDUs:');
  lines.push(`  ${lpad('#', 3)}  ${pad('Command', 8)}  ${lpad('Lc', 3)}  ${lpad('Le', 5)}  ${pad('SW', 4)}  ${lpad('Bytes', 5)}  ${lpad('ms', 8)}  Step`);
  for (const a of r.apdus) {
    lines.push(
      `  ${lpad(String(a.n), 3)}  ${pad(a.command, 8)}  ${lpad(a.lc === null ? '-' : String(a.lc), 3)}  ${lpad(a.le === null ? '-' : String(a.le), 5)}  ` +
        `${pad(a.sw ?? '----', 4)}  ${lpad(String(a.responseBytes), 5)}  ${lpad(a.ms.toFixed(2), 8)}  ${a.step}${a.extended ? ' [extended]' : ''}${a.error ? ` — ${a.error}` : ''}`,
    );
  }
  const mean = r.totals.meanMsPerApdu === null ? '-' : r.totals.meanMsPerApdu.toFixed(2);
  lines.push(`  Total: ${r.totals.apdus} APDUs in ${r.totals.ms.toFixed(2)} ms, mean ${mean} ms per APDU`);
  if (r.notes.length) {
    lines.push('');
    lines.push('Notes:');
    for (const n of r.notes) lines.push(`  - ${n}`);
  }
  return lines;
}
