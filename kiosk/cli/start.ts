// `kiosk start`: a terminal served on 127.0.0.1 (the touch screen and the operator panel in a browser), until Ctrl+C
// or SIGTERM. What it cannot start with (a port in use, a folder another kiosk holds, damaged state, no pcscd) ends
// with exit 2 and what to do, before anything was settled or changed.
import { resolve } from 'node:path';
import { ControlledClock, type Clock } from '../clock.ts';
import { parseReaderChoice } from '../terminal.ts';
import { NoPcscReaderError, PcscdNotRunningError, PcscUnavailableError } from '../../reader/pcsc-reader.ts';
import { FILE_ERRORS, openTrace, STATE_ERRORS, StartError, UsageError, type Flags } from './flags.ts';
import { remoteCenter } from './remote-center.ts';
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import type { PrintSpeedName } from '../../printer/speed.ts';

export async function start(flags: Flags, kioskMode: boolean, out: Console, booth = false): Promise<number> {
  if (!booth && flags.camera !== undefined) throw new UsageError("--camera is a booth's (kiosk start --booth --camera browser)");
  if (flags['center-token'] && !flags.center) throw new UsageError('--center-token goes with --center URL (without --center the kiosk has its center in its own process)');
  const newCenter = flags.center ? await remoteCenter(flags.center, flags['center-token'], flags.terminal ?? (booth ? 'B01' : 'K01')) : null;
  // Wall-clock time the operator panel can set, advance or speed up.
  const clock: Clock = !flags.clock || flags.clock === 'real' ? new ControlledClock() : new ControlledClock(flags.clock);
  if (booth) return startBooth(flags, clock, newCenter?.connect() ?? undefined, out);
  const { serveKiosk, UiNotBuiltError } = await import('../server.ts');
  const trace = flags.trace ? openTrace(flags.trace) : null;
  const serving = serveKiosk({
    port: Number(flags.port ?? 8080),
    clock,
    printer: (flags.printer as 'spool' | 'null') ?? 'spool',
    // A real machine's printing time by default: the touch screen is for people learning the real thing.
    printSpeed: (flags['print-speed'] as PrintSpeedName | undefined) ?? 'real',
    reader: parseReaderChoice(flags.reader ?? 'sim')!,
    spoolDir: resolve(flags.spool ?? 'spool'),
    varDir: resolve(flags.var ?? 'var'),
    center: newCenter?.connect() ?? undefined,
    terminalId: flags.terminal ?? 'K01',
    resettablePins: flags['pin-reset'] === 'sign' ? ['sign'] : ['auth', 'sign'],
    // What staff must hear of at once (out of order, back in service), with the kiosk's time.
    alert: (line) => out.error(`${clock.now()}  ${line}`),
  });
  const server = await serving.catch((e: NodeJS.ErrnoException) => {
    trace?.close();
    if (e instanceof UiNotBuiltError || e instanceof PcscUnavailableError || e instanceof PcscdNotRunningError || e instanceof NoPcscReaderError) throw new StartError(e.message);
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${flags.port ?? 8080} is already in use (another kiosk?). Stop the other server or choose another port: --port 8081`);
    if (e.code === 'EACCES' && e.syscall === 'listen') throw new StartError(`not allowed to listen on port ${flags.port ?? 8080}. Choose a port above 1023: --port 8080`);
    // The folders: held by another process, unusable, or holding damaged state. Nothing was settled or changed.
    if (STATE_ERRORS.includes(e.name)) throw new StartError(e.message);
    if (e.code && FILE_ERRORS.includes(e.code)) throw new StartError(`cannot use the kiosk's files: ${e.message}. Give a writable folder with room: --var DIR, --spool DIR`);
    throw e;
  });
  trace?.follow(server.terminal.reader, `kiosk start ${flags.terminal ?? 'K01'}`);
  out.log(`Kiosk ready: ${server.url}`);
  out.log(`  operator panel: ${server.url}#operator   printed PDFs: ${resolve(flags.spool ?? 'spool')}`);
  out.log(`  reader: ${server.terminal.reader.name}   printer: ${flags.printer ?? 'spool'} (${flags['print-speed'] ?? 'real'} speed)   clock: ${clock.now()}   (Ctrl+C to stop)`);
  if (flags.center) out.log(`  center: ${flags.center}`);
  if (trace) out.log(`  APDU trace: ${resolve(trace.path)} (${trace.format}, PIN data masked)`);
  // A purchase the last run left unfinished was settled before serving: the staff hear of it first.
  for (const r of server.terminal.runtime.recovered) {
    out.log(`  recovered after a crash: session ${r.session}: ${r.inserted} yen inserted, ${r.copies ? `${r.printed} of ${r.copies} copies printed (${r.charged} yen kept)` : 'nothing issued'}, ${r.returned} yen returned${r.owed ? `, ${r.owed} yen owed on a refund slip` : ''}`);
  }
  const { openKioskBrowser } = await import('../kiosk-mode.ts');
  const browser = kioskMode ? openKioskBrowser(server.url, resolve(flags.var ?? 'var', 'chromium-kiosk'), out) : null;
  await untilStopped(() => {
    if (browser && browser.exitCode === null) browser.kill();
    trace?.close();
    if (trace?.error) out.error(`the APDU trace ${trace.path} stopped: ${trace.error.message} (the kiosk went on without it)`);
    return server.close();
  });
  return 0;
}

/** `kiosk start --booth`: the photo booth, until Ctrl+C or SIGTERM. The konbini kiosk's own flags do not apply. */
async function startBooth(flags: Flags, clock: Clock, center: IssuanceCenter | undefined, out: Console): Promise<number> {
  const stray = (['reader', 'printer', 'spool', 'pin-reset', 'kiosk', 'trace'] as const).find((f) => flags[f] !== undefined);
  if (stray) throw new UsageError(`--${stray} is the konbini kiosk's; a booth has its scanner, camera and slip printer (kiosk start --booth --help)`);
  const { serveBooth } = await import('../booth/booth-server.ts');
  const { UiNotBuiltError } = await import('../server.ts');
  const booth = await serveBooth({ port: Number(flags.port ?? 8080), clock, varDir: resolve(flags.var ?? 'var'), center, terminalId: flags.terminal ?? 'B01', camera: flags.camera === 'browser' ? 'browser' : 'sim' }).catch((e: NodeJS.ErrnoException) => {
    if (e instanceof UiNotBuiltError) throw new StartError(e.message);
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${flags.port ?? 8080} is already in use (another kiosk?). Stop the other server or choose another port: --port 8081`);
    if (STATE_ERRORS.includes(e.name)) throw new StartError(e.message);
    if (e.code && FILE_ERRORS.includes(e.code)) throw new StartError(`cannot use the booth's files: ${e.message}. Give a writable folder with room: --var DIR`);
    throw e;
  });
  out.log(`Photo booth ready: ${booth.url}`);
  out.log(`  terminal: ${booth.terminalId}   fee: ${booth.runtime.view().fee} yen   clock: ${clock.now()}   (Ctrl+C to stop)`);
  if (flags.center) out.log(`  center: ${flags.center}`);
  for (const r of booth.recovered) {
    out.log(`  recovered after a crash: session ${r.session}: ${r.inserted} yen inserted, ${r.charged} yen kept (${r.because}), ${r.returned} yen returned${r.owed ? `, ${r.owed} yen owed` : ''}`);
  }
  await untilStopped(() => booth.close());
  return 0;
}

/** `kiosk apply-site`: the application site of the smartphone and PC routes, until Ctrl+C or SIGTERM. */
export async function startApplySite(flags: Flags, out: Console): Promise<number> {
  const { serveApplySite } = await import('../booth/apply-site.ts');
  const clock: Clock = !flags.clock || flags.clock === 'real' ? new ControlledClock() : new ControlledClock(flags.clock);
  const site = await serveApplySite({ port: Number(flags.port ?? 8082), clock, varDir: resolve(flags.var ?? 'var') }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${flags.port ?? 8082} is already in use: choose another with --port`);
    if (STATE_ERRORS.includes(e.name) || e.name === 'CenterRecordsError') throw new StartError(e.message);
    throw e;
  });
  out.log(`Application site ready: ${site.url}apply?id=APPLICATION-FORM-ID   (Ctrl+C to stop)`);
  await untilStopped(() => site.close());
  return 0;
}

/** Serves until Ctrl+C or SIGTERM, then `close` (the server's own). */
function untilStopped(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => void close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
