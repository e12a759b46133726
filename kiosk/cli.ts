// The `kiosk` command line: `kiosk start` serves a terminal on simulated devices; `kiosk journey run` runs
// journeys headless. Exit codes: 0 all passed, 1 a journey failed, 2 bad input (flag, file, format).
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ControlledClock, parseTime, type Clock } from './clock.ts';
import { JourneyFormatError, parseJourney, type Journey } from './journeys/format.ts';
import type { JourneyResult } from './journeys/run.ts';
import { loadSampleData } from './sample-data.ts';
import { parseReaderChoice } from './terminal.ts';
import { terminalIdProblem } from '../center/terminals.ts';
import { NoPcscReaderError, PcscdNotRunningError, PcscUnavailableError } from '../reader/pcsc-reader.ts';

export const USAGE = `Usage:
  kiosk start [--port 8080] [--reader sim|pcsc[:NAME]] [--printer spool|null] [--spool DIR] [--var DIR] [--clock real|ISO-TIME]
              [--center URL --center-token FILE] [--terminal K01] [--kiosk]
      Serve a kiosk terminal, on 127.0.0.1; open the printed URL in a browser. --reader pcsc drives a PC/SC
      reader through pcscd (with "Virtual PCD 00 0N", the operator's cards go in through vpcd).
      --kiosk opens the touch screen in Chromium's kiosk mode, full screen (KIOSK_BROWSER picks another
      Chromium); without a display it prints the exact command to run on the kiosk's screen and keeps serving.
      --var holds the journal and the persisted snapshot; --clock starts the clock at a Japan time.
      --center http://127.0.0.1:PORT uses a center started with kiosk center serve (default: one in this process),
      with --center-token FILE, the token kiosk center terminal add wrote for this --terminal;
      --terminal names this kiosk in its issuance numbers (give each kiosk sharing a center its own).
  kiosk journey run FILE|DIR... [--reader sim|pcsc[:NAME]] [--browser] [--workers N] [--printer null|spool] [--spool DIR]
                                [--junit FILE] [--html FILE] [--json [FILE.json]] [--center URL --center-token FILE] [--cards DIR]
      Run journeys (the language: journeys/README.md). Exit 0 when all pass, 1 when one fails, 2 on a malformed file.
      Each journey starts from fresh cards; --cards DIR takes them from a card store (kiosk start --var DIR uses
      DIR/cards), where they keep their state across journeys and runs.
      Headless by default, spread over --workers threads (default: one per core); --browser drives the built UI in
      Chromium (npm run build first). --junit writes JUnit XML for CI, --html a report with each step's screen and
      the machine's path, --json the results (on stdout, the PASS/FAIL lines then on stderr; or into FILE.json).
      --center runs them (headless) against a center started with kiosk center serve, as the terminal whose token
      --center-token FILE holds.
  kiosk journey generate [--out DIR]
      Write journeys from the machine's graph that together fire every transition (default DIR: journeys/generated).
  kiosk journey coverage FILE|DIR... [--svg FILE] [--json] [--workers N]
      Run journeys headless and report the states and transitions they cover; --svg draws the machine with covered
      transitions in green and uncovered ones in red.
  kiosk card list [--var DIR] [--json] | new --persona ID [--var DIR] | unlock --persona ID [--pin auth|sign|info|all] [--var DIR]
      The card store (DIR/cards, the one kiosk start --var DIR uses): every card with its PIN counters and the reader
      it is on; a new card for a persona (the next insert-card puts it on the reader); a card's PIN tries given back
      (staff's stand-in for the ward office's reset, recorded in the card's history).
  kiosk card serve --persona ID [--slot 0|1] [--var DIR] [--clock ISO-TIME]
      Serve a persona's card from the card store to pcscd (vpcd): any PC/SC program sees it in "Virtual PCD 00 0N";
      its PIN counters are the card's, kept in the store. Keys: r takes the card out / puts it back, q (or Ctrl+C) stops.
  kiosk reader list [--wait MS] [--json] | watch [--json] | probe [--reader NAME | --sim PERSONA] [--wait MS] [--json]
      For reader vendors: the readers pcscd sees, their events, and a report of what the card and reader do
      (card type, applications, certificate, tries left of each PIN without sending one, extended APDUs, timings).
  kiosk print sample [--certificate TYPE] [--persona ID] [--out FILE]
      Render one certificate for a persona as a PDF (TYPE: juminhyo, kisai, inkan, kazei, koseki-zenbu,
      koseki-kojin, fuhyo, receipt, refund-slip).
  kiosk verify FILE.pdf|CODE [--var DIR | --center URL [--center-token FILE]]
      Check a printed certificate as a receiving organization does: is the code in the issuance log, and is the
      PDF the file that was printed? Exit 0 genuine, 1 not genuine or changed, 2 bad input, 3 the code is genuine but
      the center holds no digest of the printed file (compare the paper). Needs no token; with --center-token FILE the
      center's answer is signed and checked.
  kiosk center serve [--port 8090] [--var DIR] [--clock real|ISO-TIME] [--clock-tolerance SECONDS]
      Run the issuance center as its own process on 127.0.0.1, for the terminals registered with it (kiosk start
      --center URL --terminal ID --center-token FILE). It decides by its own clock and refuses a kiosk whose clock
      is further off than the tolerance (default 300 s).
  kiosk center terminal add ID [--var DIR] [--out FILE] [--replace] | list [--var DIR] [--json] | remove ID [--var DIR]
      Register a terminal with the center in DIR (its token goes to FILE, readable by you only, or to stdout; shown
      once), list the registered terminals (never their tokens), or remove one. --replace gives a terminal a new
      token. A running center follows the changes.
  kiosk personas
      List the sample personas (the cards an operator can insert).
  kiosk help`;

/** The kiosk could not start; the message says what to do. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

/** A wrong command, flag or value: main prints the message and the usage of the command it was given (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The usage of one command: its blocks of USAGE (`kiosk journey run`, `… generate`, `… coverage` for "journey"),
 * so that a mistyped flag is answered in a screenful; all of USAGE for an unknown or missing command.
 */
export function usageOf(command: string | undefined): string {
  const blocks = USAGE.split(/\n(?=  kiosk )/).slice(1);
  const mine = command ? blocks.filter((b) => b.startsWith(`  kiosk ${command} `) || b.startsWith(`  kiosk ${command}\n`)) : [];
  return mine.length ? `Usage:\n${mine.join('\n')}\n(kiosk help lists every command)` : USAGE;
}

type Flags = Record<string, string>;

/** Strict flag parsing: an unknown flag or a flag without its value is an error, never ignored. */
export function parseFlags(args: string[], known: Record<string, (v: string) => string | null>): { flags: Flags; rest: string[] } {
  const flags: Flags = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!Object.hasOwn(known, name)) throw new UsageError(`unknown flag --${name.slice(0, 40)}`);
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    const problem = known[name](value);
    if (problem) throw new UsageError(`--${name} ${value.length > 60 ? `${value.slice(0, 60)}…` : value}: ${problem}`);
    flags[name] = value;
  }
  return { flags, rest };
}

const oneOf = (...values: string[]) => (v: string) => (values.includes(v) ? null : `expected one of ${values.join(', ')}`);
const anything = () => null;
export const port = (v: string) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? null : 'expected a port number 1-65535');
const readerFlag = (v: string) => (parseReaderChoice(v) ? null : 'expected sim, pcsc or pcsc:NAME (a part of the reader name)');
/** A center started with `kiosk center serve`: http on loopback with its port, nothing else. */
/** A terminal id goes into issuance numbers and spool file names: keep it short and plain. */
const terminalFlag = terminalIdProblem;
export const centerUrl = (v: string) => {
  let u: URL | null = null;
  try {
    u = new URL(v);
  } catch {
    u = null;
  }
  const loopback = u && u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname) && u.port && !u.username && !u.password && !u.search && !u.hash && u.pathname === '/';
  return loopback ? null : 'expected http://127.0.0.1:PORT or http://localhost:PORT (the center runs on this machine: kiosk center serve)';
};

/**
 * Checks that the center answers at the URL and is this kiosk's center before a kiosk relies on it: `/health` (is
 * anything there that calls itself the center?), then `/whoami`, signed with the key of the token read from
 * `tokenFile` (never sent), whose answer must carry the center's signature: a program that took the center's port
 * cannot make one. The terminal is the token's (`K01.…`; `terminal` for an older token without its id), and must be
 * `terminal` when one is given. StartError (exit 2) with what to do if not. The token never leaves the returned clients.
 */
async function remoteCenter(url: string, tokenFile: string | undefined, terminal: string | null) {
  const { CenterClient } = await import('../center/center-client.ts');
  const { CenterAuthenticationError, CenterImpostorError, CenterUnreachableError } = await import('../center/issuance-center.ts');
  const { TokenFileError, readTokenFile } = await import('../center/terminals.ts');
  const base = url.replace(/\/+$/, '');
  const register = `kiosk center terminal add ${terminal ?? 'K01'} --var DIR --out FILE`;
  if (!tokenFile) {
    throw new UsageError(`--center needs --center-token FILE, the kiosk's key to the center: register it with \`${register}\` (DIR: the center's --var), then give --center-token FILE`);
  }
  // The token from its file: trimmed, at most 1 KB, never echoed, never sent.
  let token: string;
  let named: string | null;
  try {
    ({ token, terminal: named } = readTokenFile(tokenFile));
  } catch (e) {
    if (!(e instanceof TokenFileError)) throw e;
    if (e.problem === 'too-large') throw new StartError(`${tokenFile} is larger than 1 KB: it is not a center token. Give the file \`${register}\` wrote`);
    if (e.problem === 'not-a-token') throw new StartError(`${tokenFile} does not hold a center token (ID.TOKEN, as kiosk center terminal add writes it): give the file \`${register}\` wrote`);
    throw new StartError(`cannot read the center token ${tokenFile} (${e.problem === 'not-a-file' ? 'not a regular file' : e.detail}): give the file \`${register}\` wrote`);
  }
  const as = named ?? terminal;
  if (!as) {
    throw new StartError(`${tokenFile} holds a token from before tokens named their terminal: give the terminal a new one with \`kiosk center terminal add ID --replace --var DIR --out ${tokenFile}\``);
  }
  try {
    await new CenterClient({ url: base }).health();
  } catch (e) {
    if (e instanceof CenterUnreachableError) {
      throw new StartError(`the center at ${base} does not answer: start it with \`kiosk center serve --port ${new URL(base).port}\``);
    }
    throw new StartError(`the center at ${base} is not usable: ${(e as Error).message}`);
  }
  let who: string;
  try {
    who = await new CenterClient({ url: base, token, terminal: as }).whoami();
  } catch (e) {
    if (e instanceof CenterImpostorError) throw new StartError(e.message);
    if (e instanceof CenterAuthenticationError) {
      throw new StartError(`the center at ${base} does not accept the token in ${tokenFile}: register the terminal with \`${register}\` (or --replace for a new token) and give that FILE`);
    }
    throw new StartError(`the center at ${base} is not usable: ${(e as Error).message}`);
  }
  if (terminal !== null && who !== terminal) {
    throw new StartError(`the token in ${tokenFile} is terminal ${who}'s, not ${terminal}'s: give --terminal ${who}, or the token file of ${terminal}`);
  }
  return { terminal: who, token, connect: () => new CenterClient({ url: base, token, terminal: who }) };
}

export const clockFlag = (v: string) => {
  if (v === 'real') return null;
  try {
    parseTime(v);
    return /[+-]\d\d:?\d\d$|Z$/.test(v) ? null : 'give the offset too, e.g. 2026-11-24T10:00:00+09:00';
  } catch (e) {
    return (e as Error).message;
  }
};

export async function main(argv: string[], out = console): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(args, out);
      case 'journey':
        if (args[0] === 'generate' || args[0] === 'coverage') return await (await import('./journeys/commands.ts')).journeyCommand(args, out);
        if (args[0] !== 'run') throw new UsageError(`unknown journey command "${args[0] ?? ''}" (expected: kiosk journey run|generate|coverage)`);
        return await journeyRun(args.slice(1), out);
      case 'card':
        return await (await import('./card-cli.ts')).cardCommand(args, out);
      case 'reader':
        return await (await import('./reader-cli.ts')).readerCommand(args, out);
      case 'print':
        return await (await import('./print-cli.ts')).printCommand(args, out);
      case 'verify':
        return await (await import('./verify-cli.ts')).verifyCommand(args, out);
      case 'center':
        return await (await import('./center-cli.ts')).centerCommand(args, out);
      case 'personas':
        for (const p of loadSampleData().personas) out.log(`${p.id.padEnd(20)} ${p.card.kind.padEnd(15)} ${p.label}`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        out.log(USAGE);
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`kiosk: ${e.message}\n\n${usageOf(command)}`);
      return 2;
    }
    if (e instanceof JourneyFormatError || e instanceof StartError) {
      out.error(`kiosk: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function start(args: string[], out: Console): Promise<number> {
  // --kiosk is the one flag without a value.
  const kioskMode = args.includes('--kiosk');
  const { flags, rest } = parseFlags(args.filter((a) => a !== '--kiosk'), {
    port, reader: readerFlag, printer: oneOf('spool', 'null'), spool: anything, clock: clockFlag, var: anything, center: centerUrl,
    terminal: terminalFlag, 'center-token': anything,
  });
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (flags['center-token'] && !flags.center) throw new UsageError('--center-token goes with --center URL (without --center the kiosk has its center in its own process)');
  const newCenter = flags.center ? await remoteCenter(flags.center, flags['center-token'], flags.terminal ?? 'K01') : null;
  // Wall-clock time the operator panel can set, advance or speed up.
  const clock: Clock = !flags.clock || flags.clock === 'real' ? new ControlledClock() : new ControlledClock(flags.clock);
  const { serveKiosk, UiNotBuiltError } = await import('./server.ts');
  const serving = serveKiosk({
    port: Number(flags.port ?? 8080),
    clock,
    printer: (flags.printer as 'spool' | 'null') ?? 'spool',
    reader: parseReaderChoice(flags.reader ?? 'sim')!,
    spoolDir: resolve(flags.spool ?? 'spool'),
    varDir: resolve(flags.var ?? 'var'),
    center: newCenter?.connect() ?? undefined,
    terminalId: flags.terminal ?? 'K01',
    // What staff must hear of at once (out of order, back in service), with the kiosk's time.
    alert: (line) => out.error(`${clock.now()}  ${line}`),
  });
  const server = await serving.catch((e: NodeJS.ErrnoException) => {
    if (e instanceof UiNotBuiltError || e instanceof PcscUnavailableError || e instanceof PcscdNotRunningError || e instanceof NoPcscReaderError) throw new StartError(e.message);
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${flags.port ?? 8080} is already in use (another kiosk?). Stop the other server or choose another port: --port 8081`);
    if (e.code === 'EACCES' && e.syscall === 'listen') throw new StartError(`not allowed to listen on port ${flags.port ?? 8080}. Choose a port above 1023: --port 8080`);
    // The folders: held by another process, unusable, or holding damaged state. Nothing was settled or changed.
    if (STATE_ERRORS.includes(e.name)) throw new StartError(e.message);
    if (e.code && FILE_ERRORS.includes(e.code)) throw new StartError(`cannot use the kiosk's files: ${e.message}. Give a writable folder with room: --var DIR, --spool DIR`);
    throw e;
  });
  out.log(`Kiosk ready: ${server.url}`);
  out.log(`  operator panel: ${server.url}#operator   printed PDFs: ${resolve(flags.spool ?? 'spool')}`);
  out.log(`  reader: ${server.terminal.reader.name}   printer: ${flags.printer ?? 'spool'}   clock: ${clock.now()}   (Ctrl+C to stop)`);
  if (flags.center) out.log(`  center: ${flags.center}`);
  // A purchase the last run left unfinished was settled before serving: the staff hear of it first.
  for (const r of server.terminal.runtime.recovered) {
    out.log(`  recovered after a crash: session ${r.session}: ${r.inserted} yen inserted, ${r.copies ? `${r.printed} of ${r.copies} copies printed (${r.charged} yen kept)` : 'nothing issued'}, ${r.returned} yen returned${r.owed ? `, ${r.owed} yen owed on a refund slip` : ''}`);
  }
  const { openKioskBrowser } = await import('./kiosk-mode.ts');
  const browser = kioskMode ? openKioskBrowser(server.url, resolve(flags.var ?? 'var', 'chromium-kiosk'), out) : null;
  await new Promise<void>((done) => {
    const stop = () => {
      if (browser && browser.exitCode === null) browser.kill();
      void server.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** Errors of a terminal's or center's state at start: each says what to do (exit 2, never a stack trace). */
export const STATE_ERRORS = ['FolderLockedError', 'FolderUnusableError', 'JournalDamagedError', 'CashBoxStateError', 'IssuanceLogError', 'TerminalRegistryError', 'StateFileError', 'CardStoreError', 'DiskFullError'];
/** File-system failures at start that a person fixes by giving another folder. */
export const FILE_ERRORS = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EIO'];

/** Text for a terminal: C0 and C1 control characters (but tab) shown as \x.. escapes. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Files named on the command line; a folder stands for its *.yaml and *.yml files, sorted. */
export function journeyFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (!st.isDirectory()) return [p];
    const files = readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f));
    if (!files.length) throw new UsageError(`no journeys (*.yaml) in ${p}`);
    return files;
  });
}

const workersFlag = (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 64 ? null : 'expected a number of workers, 1-64');

async function journeyRun(args: string[], out: Console): Promise<number> {
  // --browser is a switch (no value): taken out before the strict flag parsing. So is a bare --json (the report on
  // stdout, the PASS/FAIL lines on stderr); `--json FILE.json` writes the file.
  const browser = args.includes('--browser');
  const j = args.indexOf('--json');
  const jsonToStdout = j >= 0 && !/\.json$/i.test(args[j + 1] ?? '');
  const { flags, rest } = parseFlags(args.filter((a, i) => a !== '--browser' && !(jsonToStdout && i === j)), {
    reader: readerFlag, printer: oneOf('spool', 'null'), spool: anything, json: anything, center: centerUrl, workers: workersFlag, junit: anything, html: anything,
    'center-token': anything, cards: anything,
  });
  if (!rest.length) throw new UsageError('name at least one journey file or folder');
  if (browser && flags.reader && flags.reader !== 'sim') throw new UsageError('--browser runs on the sim reader; drop --reader or run headless');
  if (browser && flags.cards) throw new UsageError('--cards runs headless (the browser run gives each journey a kiosk of its own with fresh cards); drop --browser or --cards');
  const data = loadSampleData();
  const personas = data.personas.map((p) => p.id);
  // Every file is parsed before any runs: a malformed file stops the run with exit 2 and nothing half-done.
  const journeys: Journey[] = journeyFiles(rest).map((f) => parseJourney(f, personas, data.municipalities));
  // Each journey gets a client of its own: a journey that cuts the link (fault: center-down) cuts only its own. The
  // journeys run as the terminal the token belongs to.
  if (flags['center-token'] && !flags.center) throw new UsageError('--center-token goes with --center URL');
  const remote = flags.center ? await remoteCenter(flags.center, flags['center-token'], null) : null;
  const options = {
    printer: (flags.printer as 'spool' | 'null') ?? 'null', spoolDir: resolve(flags.spool ?? 'spool'), reader: parseReaderChoice(flags.reader ?? 'sim')!,
    centerUrl: flags.center?.replace(/\/+$/, ''), centerToken: remote?.token, terminalId: remote?.terminal, workers: flags.workers ? Number(flags.workers) : undefined,
    cardsDir: flags.cards ? resolve(flags.cards) : undefined,
  };
  // A journey's name and a failure's message are the file's words: on a terminal, control characters could move the
  // cursor, recolour or clear the screen (a name with ESC [2J), so they are shown as \x.. instead.
  const say = (line: string) => (jsonToStdout ? out.error(printable(line)) : out.log(printable(line)));
  const report = (r: JourneyResult) => {
    say(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}  ${r.name}  (${r.steps.length} steps, ${r.ms.toFixed(0)} ms)`);
    if (r.failure) say(`     ${r.file}:${r.failure.line}: ${r.failure.message}`);
  };
  const started = performance.now();
  let results: JourneyResult[];
  try {
    results = browser
      ? await (await import('./journeys/browser.ts')).runJourneysInBrowser(journeys, { ...options, screenshots: !!flags.html }, report)
      : await (await import('./journeys/parallel.ts')).runJourneys(journeys, options, report);
  } catch (e) {
    const name = (e as Error).name;
    // Errors from worker threads arrive by name only.
    if (['PcscUnavailableError', 'PcscdNotRunningError', 'NoPcscReaderError', 'BrowserUnavailableError', 'UiNotBuiltError'].includes(name)) {
      throw new StartError((e as Error).message);
    }
    throw e;
  }
  const failed = results.filter((r) => !r.passed).length;
  const seconds = (performance.now() - started) / 1000;
  say(`journeys: ${results.length - failed} passed, ${failed} failed  (${seconds.toFixed(1)} s, ${(results.length / seconds).toFixed(1)} journeys/s${browser ? ', browser' : ''})`);
  const { htmlReport, jsonReport, junitXml } = await import('./journeys/report.ts');
  const mode = browser ? 'browser' : 'headless';
  if (flags.json) writeFileSync(flags.json, jsonReport(results));
  if (jsonToStdout) out.log(jsonReport(results));
  if (flags.junit) writeFileSync(flags.junit, junitXml(results, { mode }));
  if (flags.html) writeFileSync(flags.html, htmlReport(results, { mode }));
  return failed ? 1 : 0;
}
