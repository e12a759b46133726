// The kiosk's HTTP + WebSocket server, on loopback only: it serves the built touch UI, the spooled PDFs and one
// WebSocket on which every screen watching this terminal (touch screen, operator panel) gets the view and
// sends taps. One terminal serves one person at a time; several screens may watch it.
import type { PrintSpeedName } from '../printer/speed.ts';
import { constants, createReadStream, existsSync, lstatSync, openSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import type { ResettablePin } from '../machine/types.ts';
import type { Clock } from './clock.ts';
import type { ClientMessage, ServerMessage } from './protocol.ts';
import { API_PREFIX, handleApi } from './control-api.ts';
import { ControlInputError, TerminalControl, blameOf } from './control.ts';
import { SimTerminal, type PrinterChoice, type ReaderChoice } from './terminal.ts';
import { loadSampleData } from '../samples/sample-data.ts';
import { homeCity } from './view.ts';

export const UI_DIR = resolve(fileURLToPath(import.meta.url), '..', '..', 'dist', 'ui');

export interface ServeOptions {
  port: number;
  host?: string;
  clock: Clock;
  printer: PrinterChoice;
  /** How long printing takes (SimTerminal's printSpeed; `kiosk start` says real). */
  printSpeed?: PrintSpeedName;
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
  /** Lines staff must see at once (the terminal went out of order, came back). */
  alert?: (line: string) => void;
  /** The PINs the terminal resets at 暗証番号リセット (default both). */
  resettablePins?: readonly ResettablePin[];
}

export class UiNotBuiltError extends Error {
  constructor() {
    super(`The touch UI is not built (${UI_DIR} is missing). Run: npm run build`);
    this.name = 'UiNotBuiltError';
  }
}

/** The server is for this machine's screens only: it listens on loopback, and nothing else may be asked for. */
export class NotLoopbackError extends Error {
  constructor(host: string) {
    super(`The kiosk serves on loopback only (127.0.0.1, ::1 or localhost), not on ${host}: its screens and PDFs hold people's data. Put a reverse proxy with authentication in front of it to reach it from elsewhere.`);
    this.name = 'NotLoopbackError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
/** A Host header or an Origin's host that names this machine (any port): a DNS-rebinding page's host never does. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  // [::1] or [::1]:PORT: nothing else after the bracket.
  const name = host.startsWith('[') ? /^(\[[^\]]*\])(?::\d+)?$/.exec(host)?.[1] ?? '' : host.replace(/:\d+$/, '');
  return LOOPBACK.has(name.toLowerCase());
}
/** Browsers send Origin on every WebSocket: only the kiosk's own pages (and the vite dev server) on loopback may connect. */
export function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser: a test, a script, the operator's tools on this machine
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.host);
  } catch {
    return false;
  }
}
/** Largest WebSocket message taken (the biggest real one, an event with its options, is well under 1 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Screens (touch screen, operator panels, test drivers) one terminal serves at once; more are refused with 503. */
export const MAX_SCREENS = 32;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf', '.json': 'application/json', '.woff2': 'font/woff2',
  '.ogg': 'audio/ogg',
};

export async function serveKiosk(options: ServeOptions) {
  if (!isLoopbackHost(options.host ?? '127.0.0.1')) throw new NotLoopbackError(options.host ?? '');
  if (!options.headless && !existsSync(join(UI_DIR, 'index.html'))) throw new UiNotBuiltError();
  const home = homeCity(loadSampleData().municipalities, options.homeCity);
  // The port first: a second kiosk on a port in use stops here, before it takes any folder or settles anything.
  // Requests that come before the terminal is ready are answered 503.
  let ready: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const http = createServer((req, res) => {
    if (ready) return ready(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('the kiosk is starting');
  });
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port, options.host ?? '127.0.0.1', () => {
      http.off('error', fail);
      ok();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let terminal: SimTerminal;
  try {
    // Takes the terminal's folders (refused when another process has them), then settles what a crash left.
    terminal = new SimTerminal({
      clock: options.clock, printer: options.printer, reader: options.reader, spoolDir: options.spoolDir, varDir: options.varDir, log: options.log,
      center: options.center, terminalId: options.terminalId, alert: options.alert, resettablePins: options.resettablePins, printSpeed: options.printSpeed, lockedAs: `kiosk start (terminal ${options.terminalId ?? 'K01'}, port ${port})`,
    });
  } catch (e) {
    await new Promise<void>((ok) => http.close(() => ok()));
    throw e;
  }
  try {
    await terminal.open();
  } catch (e) {
    terminal.stop();
    await new Promise<void>((ok) => http.close(() => ok()));
    throw e;
  }
  const { runtime } = terminal;
  const control = new TerminalControl(terminal, options.clock, options.spoolDir);

  ready = (req, res) => {
    // A request target is a path: an absolute URL names another host than the one checked below, and two Host headers
    // leave no host to check.
    if (!(req.url ?? '').startsWith('/') || (req.url ?? '').startsWith('//') || req.rawHeaders.filter((_, i) => i % 2 === 0 && /^host$/i.test(req.rawHeaders[i])).length > 1) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request: the target must be a path, with one Host');
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://kiosk').pathname;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    // The control API: for this machine only (its Host, and a browser page's Origin, on loopback).
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
      if (!isLoopbackHost(req.headers.host) || !isLoopbackOrigin(req.headers.origin)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'the kiosk answers to this machine only (127.0.0.1, localhost)' }));
        return;
      }
      void handleApi(req, res, control, options.log).finally(broadcast);
      return;
    }
    // Read-only, for this machine: other methods, and pages that reached it under another host name, are refused.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: the kiosk answers to 127.0.0.1 and localhost only');
      return;
    }
    try {
      serveFile(req, res, options.spoolDir);
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad request');
    }
  };
  const wss = new WebSocketServer({
    server: http, maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ origin, req }, done) => {
      // /ws is the touch screen's; /api/v1/ws the same socket under the control API's name.
      const path = new URL(req.url ?? '/', 'http://kiosk').pathname;
      if (path !== '/ws' && path !== `${API_PREFIX}/ws`) return done(false, 404, 'Not Found');
      const ok = isLoopbackOrigin(origin) && isLoopbackHost(req.headers.host);
      if (!ok) {
        options.log?.('ws refused: not from this machine');
        return done(false, 403, 'Forbidden');
      }
      // A terminal has a touch screen and a few operator panels, not hundreds: each connection holds a file
      // descriptor, so a flood must not exhaust them.
      if (wss.clients.size >= MAX_SCREENS) {
        options.log?.(`ws refused: already ${MAX_SCREENS} screens connected`);
        return done(false, 503, 'Too many screens');
      }
      done(true);
    },
  });

  const devices = () => control.devices();
  const send = (ws: WebSocket, m: ServerMessage) => ws.send(JSON.stringify(m));
  // Each change once: a tap both changes the machine (the subscription) and ends its message (the handler); the
  // second view would only repeat the first, and cost every screen a render in the frame that shows the tap.
  let lastSent = '';
  let rev = 0;
  const broadcast = () => {
    // Runs from the machine's subscription and after every message: nothing it meets may end the process.
    try {
      const m: ServerMessage = { type: 'view', view: runtime.view(), devices: devices(), rev: rev + 1 };
      const same = JSON.stringify([m.view, { ...m.devices, clock: '' }]);
      if (same === lastSent) return;
      lastSent = same;
      rev += 1;
      for (const ws of wss.clients) send(ws, m);
    } catch (e) {
      options.log?.(`view not sent: ${(e as Error).name}: ${(e as Error).message.slice(0, 200)}`);
    }
  };
  runtime.subscribe(broadcast);

  wss.on('connection', (ws) => {
    send(ws, {
      type: 'hello',
      personas: terminal.data.personas.map((p) => ({ id: p.id, label: p.label, kind: p.card.kind })),
      municipalities: terminal.data.municipalities.map((m) => ({ code: m.code, name: m.name, prefecture: m.prefecture, participating: m.participating })),
      home,
    });
    send(ws, { type: 'view', view: runtime.view(), devices: devices(), rev });
    // A broken frame (bad opcode, oversized) ends that connection only; an unheard 'error' would end the process.
    ws.on('error', (e) => options.log?.(`ws closed: ${e.name}`));
    ws.on('message', async (data) => {
      try {
        await handle(JSON.parse(String(data)) as ClientMessage);
      } catch (e) {
        // Messages name what went wrong; none repeats what was sent (it may have been a PIN).
        const known = blameOf(e) !== null;
        send(ws, { type: 'error', message: known ? (e as Error).message : 'The kiosk could not handle that message.' });
        if (!known) options.log?.(`ws error: ${(e as Error).name}`);
      } finally {
        handled += 1;
      }
      broadcast();
    });
  });

  let handled = 0;
  async function handle(m: ClientMessage): Promise<void> {
    switch (m?.type) {
      case 'event':
        return control.tap(m.event);
      case 'pin':
        return control.pin(m.digits);
      case 'operator':
        await control.operator(m);
        return;
      default:
        throw new ControlInputError('unknown message type');
    }
  }

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    port,
    terminal,
    /** The rev of the last view sent: a page whose root shows data-rev at least this has rendered it. */
    viewRevision: () => rev,
    /** What the control API does, in this process (the browser journey runner's operator steps). */
    control,
    /** Messages from screens handled so far (a tap has arrived when this grows). */
    messagesHandled: () => handled,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => http.close(() => ok()));
      terminal.stop();
    },
  };
}

function lstatOrNull(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/** A file of the built UI (index.html for /), for another server of this program (the booth's). */
export function serveUiFile(req: IncomingMessage, res: ServerResponse): void {
  serveFile(req, res, null);
}

function serveFile(req: IncomingMessage, res: ServerResponse, spoolDir: string | null): void {
  const url = new URL(req.url ?? '/', 'http://kiosk');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    return;
  }
  let root = UI_DIR;
  if (spoolDir && path.startsWith('/spool/')) {
    root = spoolDir;
    path = path.slice('/spool'.length);
  }
  // normalize() keeps a path inside its root: no ../ escapes from the UI or spool folders. The spool serves only
  // the regular files directly inside it (its PDFs), never a subfolder's, a hidden file or a symbolic link, which
  // could point anywhere on the machine.
  const file = join(root, normalize(path === '/' ? '/index.html' : path));
  const inSpool = root === spoolDir;
  const name = file.slice(root.length + 1);
  const stat = file.startsWith(root + '/') ? lstatOrNull(file) : null;
  if (!stat || !stat.isFile() || (inSpool && (name.includes('/') || name.startsWith('.')))) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  // O_NOFOLLOW: a link put in place after the check is not followed either; a file removed meanwhile is not found.
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  // A read that fails midway ends this response, not the server.
  createReadStream('', { fd }).on('error', () => res.destroy()).pipe(res);
}
