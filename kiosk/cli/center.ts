// `kiosk center serve`: the issuance center as its own process on 127.0.0.1, shared by several kiosks
// (`kiosk start --center URL --terminal ID --center-token FILE`, `kiosk journey run --center URL --center-token FILE`).
// Its issuance log is in its database, <var>/center/center.sqlite with its records of cards' lives, the file `kiosk
// verify --var DIR` reads (a log an older version kept in <var>/center/issuance-log.jsonl is imported at start and
// renamed issuance-log.jsonl.imported; a damaged one stops it, exit 2 with what to do), and the
// terminals it serves are registered in the same database by `kiosk center terminal add|list|remove` (a running
// center follows the edits; a <var>/center/terminals.json of an older version is imported and deleted); that register
// holds the terminals' keys (the SHA-256 of their tokens, which sign every call: center/README.md, "Signed calls"),
// so the database is mode 0600. A token is shown once, in its file, and
// never travels. It keeps its own clock (`--clock`). Stops cleanly on Ctrl+C or SIGTERM (exit 0).
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { serveCenter } from '../../center/center-server.ts';
import { duration } from '../../center/issuance-center.ts';
import { IssuanceLogError } from '../../center/issuance-log.ts';
import { CenterRecordsError } from '../../center/records/center-records.ts';
import { openCenterDatabase } from '../../center/records/sqlite-records.ts';
import { SqliteTerminals } from '../../center/records/sqlite-terminals.ts';
import { CLOCK_TOLERANCE_MS, SimCenter } from '../../center/sim-center.ts';
import { TerminalRegistry, TerminalRegistryError, terminalIdProblem } from '../../center/terminals.ts';
import { StartError, UsageError, type Flags } from './flags.ts';
import { ControlledClock } from '../clock.ts';
import { FolderLockedError, LOCK_FILE, lockFile, lockFolder, lockHolder, type FolderLock } from '../folder-lock.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

/** Terminal ids the serve banner lists before "and N more". */
const BANNER_TERMINALS = 10;
const centerDir = (flags: Flags) => join(resolve(flags.var ?? 'var'), 'center');

/** `kiosk center serve`, its flags parsed and checked (main.ts). */
export async function serve(flags: Flags, out: Console): Promise<number> {
  const listenPort = Number(flags.port ?? 8090);
  const dir = centerDir(flags);
  const logFile = join(dir, 'issuance-log.jsonl');
  const recordsFile = join(dir, 'center.sqlite');
  const terminalsFile = join(dir, 'terminals.json');
  // The center's own time: every rule, expiry and issuance date is by it, whatever a kiosk claims.
  const clock = !flags.clock || flags.clock === 'real' ? new ControlledClock() : new ControlledClock(flags.clock);
  const clockToleranceMs = flags['clock-tolerance'] ? Number(flags['clock-tolerance']) * 1000 : CLOCK_TOLERANCE_MS;
  const data = loadSampleData();
  // The center's folder is this process's alone (a kiosk with its center in-process holds it too): a second center
  // on it would give issuance numbers twice.
  let lock: FolderLock;
  try {
    lock = lockFolder(dir, `kiosk center serve (port ${listenPort})`);
  } catch (e) {
    throw new StartError((e as Error).message);
  }
  let center: SimCenter;
  try {
    center = new SimCenter({
      municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock, clockToleranceMs, logFile, terminalsFile,
      recordsFile, signCa: data.signCa.certificate,
    });
  } catch (e) {
    lock.release();
    if (e instanceof IssuanceLogError || e instanceof TerminalRegistryError || e instanceof CenterRecordsError) throw new StartError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EACCES' || err.code === 'ENOTDIR' || err.code === 'EROFS') throw new StartError(`cannot use the center's folder ${dir} (${err.code}). Choose another folder: --var DIR`);
    throw e;
  }
  const server = await serveCenter({ center, port: listenPort, log: (line) => out.error(`center: ${line}`) }).catch((e: NodeJS.ErrnoException) => {
    lock.release();
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${listenPort} is already in use. Stop the other server or choose another port: --port ${listenPort < 65535 ? listenPort + 1 : 8090}`);
    if (e.code === 'EACCES') throw new StartError(`not allowed to listen on port ${listenPort}. Choose a port above 1023: --port 8090`);
    throw e;
  });
  const terminals = center.terminals.list();
  out.log(`Center ready: ${server.url}  (issuance log: ${recordsFile})`);
  out.log(`  clock: ${clock.now()}${flags.clock && flags.clock !== 'real' ? ' (set by --clock)' : ''}; a kiosk's clock may differ by ${duration(clockToleranceMs)} at most`);
  // A long register is not pasted whole into the banner: its first ids, then how many more (terminal list shows all).
  const shown = terminals.length > BANNER_TERMINALS + 1 ? terminals.slice(0, BANNER_TERMINALS) : terminals;
  const more = terminals.length - shown.length;
  out.log(terminals.length
    ? `  terminals: ${shown.map((t) => t.id).join(', ')}${more ? ` and ${more} more (kiosk center terminal list --var ${resolve(flags.var ?? 'var')})` : ''} (${recordsFile})`
    : `  no terminals registered yet: kiosk center terminal add K01 --var ${resolve(flags.var ?? 'var')} --out k01.token`);
  out.log(`  kiosks: kiosk start --center ${server.url} --terminal ID --center-token FILE   (Ctrl+C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  lock.release();
  out.log('Center stopped.');
  return 0;
}

/** `kiosk center terminal add|list|remove`: the register of the terminals the center serves. */
export async function terminalCommand(sub: 'add' | 'list' | 'remove', ids: string[], flags: Flags, switches: { json?: boolean; replace?: boolean }, out: Console): Promise<number> {
  // The register is in the center's database; a terminals.json of an older version is imported into it (and deleted).
  const file = join(centerDir(flags), 'center.sqlite');
  const json = join(centerDir(flags), 'terminals.json');
  const varHint = `--var ${resolve(flags.var ?? 'var')}`;
  /** Changes to the register, one `kiosk center terminal` at a time (a running center only reads it). */
  const editing = () => {
    try {
      mkdirSync(centerDir(flags), { recursive: true });
      return lockFile(join(centerDir(flags), 'terminals.lock'), `kiosk center terminal ${sub}`);
    } catch (e) {
      throw new StartError(e instanceof FolderLockedError ? `another kiosk center terminal command is changing ${file} now: try again` : (e as Error).message);
    }
  };
  const open = () => {
    try {
      return new TerminalRegistry(new SqliteTerminals(openCenterDatabase(file), { importFrom: json }));
    } catch (e) {
      if (e instanceof TerminalRegistryError || e instanceof CenterRecordsError) throw new StartError(e.message);
      throw e;
    }
  };

  if (sub === 'list') {
    if (ids.length) throw new UsageError(`unexpected argument "${ids[0]}"`);
    // Listing makes no database where there is none.
    const listed = existsSync(file) || existsSync(json) ? open().list() : [];
    if (switches.json) {
      out.log(JSON.stringify(listed.map(({ id, addedAt }) => ({ id, addedAt })), null, 2));
      return 0;
    }
    if (!listed.length) {
      out.log(`No terminals registered in ${file}. Add one: kiosk center terminal add K01 ${varHint} --out k01.token`);
      return 0;
    }
    out.log(`Terminals registered in ${file}:`);
    for (const t of listed) out.log(`  ${t.id.padEnd(16)} added ${t.addedAt}`);
    return 0;
  }

  if (ids.length !== 1) throw new UsageError(ids.length ? `one terminal id at a time (got ${ids.length})` : `name the terminal, e.g. kiosk center terminal ${sub} K01`);
  const [id] = ids;
  const problem = terminalIdProblem(id);
  if (problem) throw new UsageError(`terminal id "${id.slice(0, 32)}": ${problem}`);

  const edit = editing();
  try {
    if (sub === 'remove') {
      if (!open().remove(id)) throw new StartError(`terminal ${id} is not registered in ${file} (kiosk center terminal list ${varHint})`);
      out.log(`Terminal ${id} removed from ${file}: its token no longer works (a running center stops serving it at its next call).`);
      return 0;
    }

    // add: the token file is made first (only its owner may read it), so that a registered token is never lost.
    const registry = open();
    const replace = switches.replace;
    if (registry.has(id) && !replace) {
      throw new StartError(`terminal ${id} is already registered in ${file}. Give it a new token with --replace (its old token stops working), or choose another id`);
    }
    const outFile = flags.out ? resolve(flags.out) : null;
    let fd: number | null = null;
    if (outFile) {
      if (!existsSync(dirname(outFile)) || !statSync(dirname(outFile)).isDirectory()) throw new StartError(`no folder ${dirname(outFile)} for the token file: create it, or choose another --out FILE`);
      if (existsSync(outFile)) {
        if (!replace) throw new StartError(`${outFile} exists already: choose another --out FILE, or give --replace to write the new token over it`);
        unlinkSync(outFile);
      }
      try {
        fd = openSync(outFile, 'wx', 0o600);
        fchmodSync(fd, 0o600);
      } catch (e) {
        throw new StartError(`cannot write the token file ${outFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).name}): choose another --out FILE`);
      }
    }
    let token: string;
    try {
      token = registry.add(id, { replace });
    } catch (e) {
      if (fd !== null) {
        closeSync(fd);
        unlinkSync(outFile!);
      }
      if (e instanceof TerminalRegistryError) throw new StartError(e.message);
      throw e;
    }
    const start = `kiosk start --center http://127.0.0.1:PORT --terminal ${id} --center-token`;
    if (fd !== null) {
      try {
        writeSync(fd, token + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      out.log(`Terminal ${id} ${replace ? 'has a new token' : 'registered'} (${file}); its token is in ${outFile}, readable by you only.`);
      out.log(`Start the kiosk with: ${start} ${outFile}`);
      out.log(`  (PORT: the center's, as kiosk center serve printed it; journeys: kiosk journey run … --center URL --center-token ${outFile})`);
      return 0;
    }
    // No file: the token alone on stdout (for a redirection into a file), what to do with it on stderr.
    out.log(token);
    out.error(`Terminal ${id} ${replace ? 'has a new token' : 'registered'} (${file}). The line above is its token, shown this once: keep it in a file only the kiosk's user can read`);
    out.error(`(next time: --out FILE), and start the kiosk with: ${start} FILE`);
    return 0;
  } finally {
    edit.release();
  }
}

/**
 * `kiosk center status`: a center's state, as staff or a script asks it. With --center URL, the running center:
 * does it answer as a center, is it online, and (with --center-token FILE) which terminal it takes this token for, in
 * its signed answer. Without, the center's folder (--var DIR): which process serves it, how many terminals are
 * registered. Exit 0 when the center answers (or its folder is usable), 1 when it does not, 2 bad input.
 */
export async function status(flags: Flags, json: boolean, out: Console): Promise<number> {
  const say = (report: Record<string, unknown>, lines: string[], code: number) => {
    out.log(json ? JSON.stringify(report, null, 2) : lines.join('\n'));
    return code;
  };
  if (flags.center) {
    const { CenterClient } = await import('../../center/center-client.ts');
    const url = flags.center.replace(/\/+$/, '');
    let online: boolean;
    try {
      ({ online } = await new CenterClient({ url }).health());
    } catch (e) {
      return say({ center: url, answers: false, problem: (e as Error).message }, [`The center at ${url} does not answer as a center: ${(e as Error).message}`], 1);
    }
    let terminal: string | null = null;
    if (flags['center-token']) {
      const { remoteCenter } = await import('./remote-center.ts');
      terminal = (await remoteCenter(url, flags['center-token'], null)).terminal;
    }
    return say({ center: url, answers: true, online, ...(terminal ? { terminal, signed: true } : {}) },
      [`The center at ${url} answers: ${online ? 'online' : 'offline (its link cut)'}.`, ...(terminal ? [`It takes the token for terminal ${terminal} (signed answer).`] : [])], 0);
  }
  if (flags['center-token']) throw new UsageError('--center-token goes with --center URL');
  const dir = centerDir(flags);
  const holder = lockHolder(join(dir, LOCK_FILE));
  let terminals: number | null = null;
  try {
    // A terminals.json no center has imported yet, or the register in the database (read only: a center may run).
    terminals = existsSync(join(dir, 'terminals.json'))
      ? new TerminalRegistry(join(dir, 'terminals.json')).list().length
      : existsSync(join(dir, 'center.sqlite')) ? new SqliteTerminals(openCenterDatabase(join(dir, 'center.sqlite'), { readOnly: true })).load().length : 0;
  } catch (e) {
    if (e instanceof TerminalRegistryError || e instanceof CenterRecordsError) throw new StartError(e.message);
    throw e;
  }
  return say({ folder: dir, servedBy: holder ? { pid: holder.pid, what: holder.what, since: holder.since } : null, terminals },
    [`The center's folder ${dir}: ${holder ? `served by ${holder.what} (pid ${holder.pid}) since ${holder.since}` : 'no process serves it now'}; ${terminals} terminal${terminals === 1 ? '' : 's'} registered.`], 0);
}
