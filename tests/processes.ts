// Real `kiosk` processes, as a user runs them, for the suites that meet the project from outside: a free port, a
// command run to its end, a long-running command (kiosk start, kiosk center serve) waited on until it says it is ready.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

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
 * its output; rejects if it exits first.
 */
export async function daemon(args: string[], ready: string, o: { shell?: string } = {}): Promise<Daemon> {
  const child = o.shell ? spawn('bash', ['-c', o.shell], { cwd: ROOT }) : spawn(process.execPath, [KIOSK, ...args], { cwd: ROOT });
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
