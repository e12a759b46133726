// Real `kiosk` processes, as a user runs them, for the suites that meet the project from outside: a free port, a
// command run to its end, a long-running command (kiosk start, kiosk center serve) waited on until it says it is ready.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const KIOSK = join(ROOT, 'bin', 'kiosk.mjs');

/** A port nobody listens on (found by listening on 0 and letting it go). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * The node arguments that run a test's child script: bundled once into one ES module (half the start-up of tsx, for
 * a child started once per crash point), in kiosk/ of a folder whose assets/ and node_modules/ are the project's, so
 * that every path the code finds relative to its own file still leads to the same place. Through tsx when esbuild
 * is not at hand.
 */
export async function bundledChild(entry: string): Promise<string[]> {
  try {
    const { buildSync } = await import('esbuild');
    const root = join(mkdtempSync(join(tmpdir(), 'kiosk-child-')), 'child');
    mkdirSync(join(root, 'kiosk'), { recursive: true });
    symlinkSync(join(ROOT, 'assets'), join(root, 'assets'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    const outfile = join(root, 'kiosk', basename(entry).replace(/\.ts$/, '.mjs'));
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', outfile, logLevel: 'silent' });
    return [outfile];
  } catch {
    return ['--import', 'tsx', entry];
  }
}

/** `kiosk ARGS…` to its end (for commands that exit). */
export function kiosk(...args: string[]) {
  return spawnSync(process.execPath, [KIOSK, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

export interface Daemon {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `kiosk ARGS…` (or a shell command line, for limits such as `ulimit`) and resolves once `ready` appears in
 * its output; rejects if it exits first. A `kiosk start` prints at once unless the test names a --print-speed (alone
 * it takes a real machine's minute a copy).
 */
export async function daemon(args: string[], ready: string, o: { shell?: string } = {}): Promise<Daemon> {
  const fast = args[0] === 'start' && !args.includes('--booth') && !args.includes('--print-speed') ? ['--print-speed', 'fast'] : [];
  const child = o.shell ? spawn('bash', ['-c', o.shell], { cwd: ROOT }) : spawn(process.execPath, [KIOSK, ...args, ...fast], { cwd: ROOT });
  let text = '';
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  await new Promise<void>((ok, fail) => {
    const seen = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes(ready)) ok();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void exited.then((code) => fail(new Error(`${o.shell ?? `kiosk ${args.join(' ')}`} exited with ${code} before it was ready:\n${text}`)));
  });
  return { child, output: () => text, exited };
}

/** SIGTERM, and the exit code. */
export async function stop(d: Pick<Daemon, 'child' | 'exited'>): Promise<number | null> {
  if (d.child.exitCode === null) d.child.kill('SIGTERM');
  return d.exited;
}
