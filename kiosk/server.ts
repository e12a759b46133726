// The kiosk's HTTP + WebSocket server, on loopback only: it serves the built touch UI, the spooled PDFs and one
// WebSocket on which every screen watching this terminal (touch screen, operator panel) gets the view and
// sends taps. One terminal serves one person at a time; several screens may watch it.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import type { Clock } from './clock.ts';
import { PinFormatError } from './devices/pin-pad.ts';
import type { ClientMessage, DeviceStatus, ServerMessage } from './protocol.ts';
import { FAULTS, OperatorError, SimTerminal, type PrinterChoice, type ReaderChoice } from './terminal.ts';
import { KioskStateError } from './runtime.ts';
import { loadSampleData, UnknownPersonaError } from './sample-data.ts';
import { homeCity } from './view.ts';

export const UI_DIR = resolve(fileURLToPath(import.meta.url), '..', '..', 'dist', 'ui');

export interface ServeOptions {
  port: number;
  host?: string;
  clock: Clock;
  printer: PrinterChoice;
  reader?: ReaderChoice;
  spoolDir: string;
  varDir?: string;
  log?: (line: string) => void;
  /** Serve without the built UI (tests that only speak WebSocket). */
  headless?: boolean;
  /** The issuance center (e.g. a CenterClient for `kiosk center serve`); a SimCenter in this process when omitted. */
  center?: IssuanceCenter;
  /** The terminal id its issuance numbers carry (default K01). */
  terminalId?: string;
  /** Code of the municipality the kiosk stands in (default 川崎市, 141305): its offices are shown where a PIN is reset. */
  homeCity?: string;
}

export class UiNotBuiltError extends Error {
  constructor() {
    super(`The touch UI is not built (${UI_DIR} is missing). Run: npm run build`);
    this.name = 'UiNotBuiltError';
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.json': 'application/json', '.woff2': 'font/woff2',
};

export async function serveKiosk(options: ServeOptions) {
  if (!options.headless && !existsSync(join(UI_DIR, 'index.html'))) throw new UiNotBuiltError();
  const home = homeCity(loadSampleData().municipalities, options.homeCity);
  const terminal = new SimTerminal({
    clock: options.clock, printer: options.printer, reader: options.reader, spoolDir: options.spoolDir, varDir: options.varDir, log: options.log,
    center: options.center, terminalId: options.terminalId,
  });
  try {
    await terminal.open();
  } catch (e) {
    terminal.stop();
    throw e;
  }
  const { runtime } = terminal;

  const http = createServer((req, res) => serveFile(req, res, options.spoolDir));
  const wss = new WebSocketServer({ server: http, path: '/ws' });

  const devices = (): DeviceStatus => {
    const cash = terminal.cashBox.status();
    const records = runtime.journal.records;
    const last = records.findLast((r) => r.type === 'issued');
    return {
      clock: options.clock.now(),
      reader: { name: terminal.reader.name, cardPresent: terminal.reader.cardPresent, card: terminal.card?.kind ?? null },
      cash: { accepting: cash.accepting, escrow: cash.escrow, tubes: cash.tubes },
      printer: terminal.printer.status(),
      centerOnline: terminal.center.online,
      // The last issuance's documents, so the person (and a tester) can open what was printed.
      documents: records.flatMap((r) =>
        (r.type === 'print.copy' || r.type === 'print.receipt') && r.file && last?.type === 'issued' && r.issuanceNumber === last.issuanceNumber
          ? [`spool/${basename(r.file)}`] : []),
    };
  };
  const send = (ws: WebSocket, m: ServerMessage) => ws.send(JSON.stringify(m));
  const broadcast = () => {
    const m: ServerMessage = { type: 'view', view: runtime.view(), devices: devices() };
    for (const ws of wss.clients) send(ws, m);
  };
  runtime.subscribe(broadcast);

  wss.on('connection', (ws) => {
    send(ws, {
      type: 'hello',
      personas: terminal.data.personas.map((p) => ({ id: p.id, label: p.label, kind: p.card.kind })),
      municipalities: terminal.data.municipalities.map((m) => ({ code: m.code, name: m.name, prefecture: m.prefecture, participating: m.participating })),
      home,
    });
    send(ws, { type: 'view', view: runtime.view(), devices: devices() });
    ws.on('message', async (data) => {
      try {
        await handle(JSON.parse(String(data)) as ClientMessage);
      } catch (e) {
        // Messages name what went wrong; none repeats what was sent (it may have been a PIN).
        const known = e instanceof PinFormatError || e instanceof KioskStateError || e instanceof UnknownPersonaError ||
          e instanceof BadMessageError || e instanceof OperatorError;
        send(ws, { type: 'error', message: known ? (e as Error).message : 'The kiosk could not handle that message.' });
        if (!known) options.log?.(`ws error: ${(e as Error).name}`);
      }
      broadcast();
    });
  });

  async function handle(m: ClientMessage): Promise<void> {
    switch (m?.type) {
      case 'event':
        if (!m.event || typeof m.event.type !== 'string' || !m.event.type.startsWith('ui.')) throw new BadMessageError('an event must be a ui.* event');
        return runtime.send(m.event);
      case 'pin':
        return runtime.submitPin(m.digits);
      case 'operator':
        switch (m.action) {
          case 'insert-card': return terminal.insertCard(m.persona);
          case 'remove-card': return terminal.removeCard();
          case 'insert-cash': {
            if (!Number.isInteger(m.yen)) throw new BadMessageError('insert-cash needs yen as a whole number');
            runtime.insertCash(m.yen);
            return;
          }
          case 'fault':
            if (!FAULTS.includes(m.fault)) throw new BadMessageError(`unknown fault; known: ${FAULTS.join(', ')}`);
            return terminal.fault(m.fault);
        }
        throw new BadMessageError('unknown operator action');
      default:
        throw new BadMessageError('unknown message type');
    }
  }

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port, options.host ?? '127.0.0.1', () => ok());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    port,
    terminal,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => http.close(() => ok()));
      terminal.stop();
    },
  };
}

class BadMessageError extends Error {
  constructor(detail: string) {
    super(`Bad message: ${detail}.`);
    this.name = 'BadMessageError';
  }
}

function serveFile(req: IncomingMessage, res: ServerResponse, spoolDir: string): void {
  const url = new URL(req.url ?? '/', 'http://kiosk');
  let path = decodeURIComponent(url.pathname);
  let root = UI_DIR;
  if (path.startsWith('/spool/')) {
    root = spoolDir;
    path = path.slice('/spool'.length);
  }
  if (path === '/api/spool') {
    const files = existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => f.endsWith('.pdf')).sort() : [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(files));
    return;
  }
  // normalize() keeps a path inside its root: no ../ escapes from the UI or spool folders.
  const file = join(root, normalize(path === '/' ? '/index.html' : path));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
}
