// The test suites' own pcscd: a real pcsc-lite daemon with vsmartcard's vpcd driver (Debian packages pcscd and
// vsmartcard-vpcd, installed by `npm test` through bin/system-packages.mjs). If one already runs, it is used;
// otherwise one is started in the foreground and stopped afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { VPCD_BASE_PORT } from '../../reader/vpcd-bridge.ts';

const PCSCD = '/usr/sbin/pcscd';

export function vpcdListening(port = VPCD_BASE_PORT): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${ms} ms`);
}

export interface Pcscd {
  /** Stops the daemon if this harness started it. */
  stop(): Promise<void>;
  /** Stops and starts the daemon again (a pcscd restart under a running kiosk). */
  /** Stops pcscd and starts it again, after downMs with none running. */
  restart(downMs?: number): Promise<void>;
  startedHere: boolean;
}

export async function ensurePcscd(): Promise<Pcscd> {
  if (!existsSync(PCSCD) || !existsSync('/usr/lib/pcsc/drivers/serial/libifdvpcd.so')) {
    throw new Error('pcscd or the vpcd driver is missing: run `node bin/system-packages.mjs test` (apt-get install pcscd vsmartcard-vpcd)');
  }
  let child: ChildProcess | null = null;
  const start = async () => {
    // KIOSK_PCSCD_LOG=FILE keeps pcscd's debug log, for a look when a PC/SC test fails.
    const log = process.env.KIOSK_PCSCD_LOG;
    child = spawn(PCSCD, log ? ['--foreground', '--debug'] : ['--foreground'], { stdio: ['ignore', log ? openSync(log, 'a') : 'ignore', log ? openSync(log, 'a') : 'ignore'] });
    await waitFor(() => vpcdListening(), 10_000, 'pcscd did not open the vpcd port 35963');
  };
  const stop = async () => {
    const c = child as ChildProcess | null;
    if (!c) return;
    child = null;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    await waitFor(async () => !(await vpcdListening()), 10_000, 'pcscd did not close the vpcd port');
  };
  const running = await vpcdListening();
  if (!running) await start();
  return {
    startedHere: !running,
    stop,
    async restart(downMs = 0) {
      if (!child) throw new Error('pcscd was not started by the tests; cannot restart it');
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
  };
}
