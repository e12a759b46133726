// `kiosk center serve`: the issuance center as its own process on 127.0.0.1, shared by several kiosks
// (`kiosk start --center URL`, `kiosk journey run --center URL`). Its issuance log is <var>/center/issuance-log.jsonl,
// the same file `kiosk verify --var DIR` reads. Stops cleanly on Ctrl+C or SIGTERM (exit 0).
import { join, resolve } from 'node:path';
import { serveCenter } from '../center/center-server.ts';
import { IssuanceLogError } from '../center/issuance-log.ts';
import { SimCenter } from '../center/sim-center.ts';
import { StartError, UsageError, parseFlags, port } from './cli.ts';
import { loadSampleData } from './sample-data.ts';

export async function centerCommand(args: string[], out: Console): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'serve') throw new UsageError(`unknown center command "${sub ?? ''}" (expected: kiosk center serve)`);
  const { flags, rest: extra } = parseFlags(rest, { port, var: () => null });
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const listenPort = Number(flags.port ?? 8090);
  const logFile = join(resolve(flags.var ?? 'var'), 'center', 'issuance-log.jsonl');
  const data = loadSampleData();
  let center: SimCenter;
  try {
    center = new SimCenter({ municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, logFile });
  } catch (e) {
    if (e instanceof IssuanceLogError) throw new StartError(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EACCES' || err.code === 'ENOTDIR' || err.code === 'EROFS') throw new StartError(`cannot use the issuance log ${logFile} (${err.code}). Choose another folder: --var DIR`);
    throw e;
  }
  const server = await serveCenter({ center, port: listenPort, log: (line) => out.error(`center: ${line}`) }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new StartError(`port ${listenPort} is already in use. Stop the other server or choose another port: --port ${listenPort < 65535 ? listenPort + 1 : 8090}`);
    if (e.code === 'EACCES') throw new StartError(`not allowed to listen on port ${listenPort}. Choose a port above 1023: --port 8090`);
    throw e;
  });
  out.log(`Center ready: ${server.url}  (issuance log: ${logFile})`);
  out.log(`  kiosks: kiosk start --center ${server.url}   (Ctrl+C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out.log('Center stopped.');
  return 0;
}
