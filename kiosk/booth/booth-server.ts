// `kiosk start --booth`: the photo booth served on 127.0.0.1, its touch screen at /#booth (the UI bundle's booth
// route) and its API under /api/v1/booth: the view, the person's taps, and the operator's hands on the simulated
// devices (a coin, a form held to the scanner, who stands before the camera, a fault). Its own files live in
// DIR/booth (locked: one process per booth); its center is J-LIS in this process on DIR/center/center.sqlite, the
// database a konbini kiosk and `kiosk counter` on the same DIR share (SQLite takes turns), or a `kiosk center serve`.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import { SimCenter } from '../../center/sim-center.ts';
import { BOOTH_SETTINGS, type BoothSettings, type BoothUiEvent } from '../../machine/booth/types.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SAMPLE_PHOTOS, type SamplePhoto } from '../../samples/photos.ts';
import type { Clock } from '../clock.ts';
import { FULL_TUBES, SimCashBox } from '../devices/cash-box.ts';
import { acceptsDenomination } from '../../machine/rules/money.ts';
import { COINS_AND_BILLS } from '../../machine/types.ts';
import { ApiError, readBody, replyJson as reply } from '../control-api.ts';
import { lockFolder } from '../folder-lock.ts';
import { WebSocketServer } from 'ws';
import { isLoopbackHost, isLoopbackOrigin, MAX_SCREENS, NotLoopbackError, serveUiFile, UI_DIR, UiNotBuiltError } from '../server.ts';
import { TerminalOutOfOrderError } from '../runtime.ts';
import { applyBoothFault, BOOTH_FAULTS, BoothJournal, type BoothFault } from './booth-faults.ts';
import { recoverBooth } from './booth-recovery.ts';
import { BoothRuntime, SimSlipPrinter } from './booth-runtime.ts';
import { BrowserCamera, ScannerNotReadingError, SimCamera, SimQrScanner } from './devices.ts';

export const BOOTH_API = '/api/v1/booth';
/** A request body: a tap is far below the first; a photo of at most 720 × 926 RGB pixels in base64 is about 2.7 MB. */
const MAX_BODY_BYTES = 16 * 1024;
const MAX_PHOTO_BYTES = 3 * 1024 * 1024;

export interface BoothServeOptions {
  port: number;
  host?: string;
  clock: Clock;
  /** The booth's folder's parent: DIR/booth for its own files, DIR/center for J-LIS in process. In memory when omitted. */
  varDir?: string;
  /** J-LIS elsewhere (a CenterClient of `kiosk center serve`); in this process when omitted. */
  center?: IssuanceCenter;
  terminalId?: string;
  settings?: Partial<BoothSettings>;
  /** Serve without the built UI (tests that only speak the API). */
  headless?: boolean;
  /** The simulated camera (default), or the browser's: the booth's screen sends the frame it grabs. */
  camera?: 'sim' | 'browser';
  log?: (line: string) => void;
}

/** The taps the booth's screen may send (the rest of BoothEvent is the devices' and the center's). */
const TAPS = new Set(['ui.start', 'ui.enterBirthDate', 'ui.setOptions', 'ui.takePhoto', 'ui.acceptPhoto', 'ui.retakePhoto', 'ui.confirm', 'ui.back', 'ui.cancel', 'ui.done', 'ui.continue']);

/** A tap as the screen sent it, checked field by field (nothing else reaches the machine). */
export function checkTap(v: unknown): BoothUiEvent {
  const e = v as Record<string, unknown> | null;
  if (!e || typeof e !== 'object' || typeof e.type !== 'string' || !TAPS.has(e.type)) throw new ApiError(400, `a tap is one of ${[...TAPS].join(', ')}`);
  if (e.type === 'ui.enterBirthDate') {
    if (typeof e.birthDate !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(e.birthDate) || Number.isNaN(Date.parse(e.birthDate))) throw new ApiError(400, 'birthDate is a date, YYYY-MM-DD');
    return { type: e.type, birthDate: e.birthDate };
  }
  if (e.type === 'ui.setOptions') {
    if (typeof e.certificates !== 'boolean' || typeof e.braille !== 'boolean') throw new ApiError(400, 'certificates and braille are true or false');
    return { type: e.type, certificates: e.certificates, braille: e.braille };
  }
  return { type: e.type } as BoothUiEvent;
}

export async function serveBooth(o: BoothServeOptions) {
  if (!isLoopbackHost(o.host ?? '127.0.0.1')) throw new NotLoopbackError(o.host ?? '');
  if (!o.headless && !existsSync(join(UI_DIR, 'index.html'))) throw new UiNotBuiltError();
  const terminalId = o.terminalId ?? 'B01';
  const own = o.varDir ? join(o.varDir, 'booth') : null;
  const lock = own ? lockFolder(own, `kiosk start --booth (terminal ${terminalId})`) : null;
  let sim: SimCenter | null = null;
  try {
    const data = loadSampleData();
    sim = o.center ? null : new SimCenter({
      municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: o.clock, signCa: data.signCa.certificate,
      recordsFile: o.varDir ? join(o.varDir, 'center', 'center.sqlite') : undefined,
    });
    const cashBox = new SimCashBox(FULL_TUBES, { stateFile: own ? join(own, 'cash-box.json') : undefined });
    const scanner = new SimQrScanner();
    const camera = new SimCamera();
    const browserCamera = o.camera === 'browser' ? new BrowserCamera() : null;
    const printer = new SimSlipPrinter();
    const center = o.center ?? sim!.connectLocal(terminalId);
    const journal = new BoothJournal(own ? join(own, 'journal.jsonl') : null);
    // What a crash left unfinished is settled before anyone is served.
    const fee = { ...BOOTH_SETTINGS, ...o.settings }.photoFee;
    const recovered = await recoverBooth({ journal, cashBox, center, fee, terminalId, now: () => o.clock.now() });
    const runtime = new BoothRuntime({ clock: o.clock, center, cashBox, scanner, camera: browserCamera ?? camera, printer, terminalId, settings: o.settings, log: o.log, journal });

    const api = async (req: IncomingMessage, path: string): Promise<unknown> => {
      const body: Record<string, unknown> = req.method === 'POST' ? await readBody(req, path === '/photo' ? MAX_PHOTO_BYTES : MAX_BODY_BYTES) : {};
      const route = `${req.method} ${path}`;
      switch (route) {
        case 'GET /view':
          return runtime.view();
        case 'POST /tap':
          runtime.send(checkTap(body.event));
          break;
        case 'POST /cash': {
          if (typeof body.yen !== 'number' || !acceptsDenomination(body.yen)) throw new ApiError(400, `yen is a coin or bill: ${COINS_AND_BILLS.join(', ')}`);
          return { accepted: runtime.insertCash(body.yen), view: (await settle(), runtime.view()) };
        }
        case 'POST /scan': {
          if (typeof body.text !== 'string' || body.text.length === 0 || body.text.length > 512) throw new ApiError(400, 'text is what the code carries, 1-512 characters');
          try {
            scanner.present(body.text);
          } catch (e) {
            if (e instanceof ScannerNotReadingError) throw new ApiError(409, e.message);
            throw e;
          }
          break;
        }
        case 'POST /photo': {
          // The browser camera's frame: RGB pixels of the 3.5 × 4.5 frame, at most 720 × 926.
          const { width, height, rgb } = body as { width?: unknown; height?: unknown; rgb?: unknown };
          if (!browserCamera) throw new ApiError(409, 'this booth takes its photos with its own camera (kiosk start --booth --camera browser for the screen\'s)');
          if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) < 16 || (height as number) < 16 || (width as number) > 720 || (height as number) > 926 || typeof rgb !== 'string') {
            throw new ApiError(400, 'a photo is { width, height, rgb }: 16-720 by 16-926 pixels, RGB bytes in base64');
          }
          const pixels = Buffer.from(rgb, 'base64');
          if (pixels.length !== (width as number) * (height as number) * 3) throw new ApiError(400, `a ${width}×${height} photo is ${(width as number) * (height as number) * 3} RGB bytes, not ${pixels.length}`);
          if (!browserCamera.deliver({ width: width as number, height: height as number, pixels: new Uint8Array(pixels) })) throw new ApiError(409, 'the booth is not taking a photo now');
          break;
        }
        case 'POST /pose': {
          if (!(SAMPLE_PHOTOS as readonly unknown[]).includes(body.subject)) throw new ApiError(400, `subject is one of ${SAMPLE_PHOTOS.join(', ')}`);
          camera.pose(body.subject as SamplePhoto);
          break;
        }
        case 'POST /fault': {
          if (!(BOOTH_FAULTS as readonly unknown[]).includes(body.fault)) throw new ApiError(400, `fault is one of ${BOOTH_FAULTS.join(', ')}`);
          try {
            applyBoothFault({ runtime, camera, scanner, printer, journal, center }, body.fault as BoothFault);
          } catch (e) {
            if (e instanceof TerminalOutOfOrderError) throw new ApiError(409, `the booth is still out of order: ${e.message}`);
            throw e;
          }
          break;
        }
        case 'GET /devices':
          return { outOfOrder: runtime.outOfOrder, cashBox: cashBox.status(), counters: cashBox.counters, paperOut: printer.paperOut, scanner: { reading: scanner.reading }, camera: browserCamera ? 'browser' : camera.subject, slips: printer.printed.size };
        case 'GET /slips':
          return [...printer.printed.keys()].sort();
        default:
          if (req.method === 'GET' && /^\/slips\/slip-[A-Za-z0-9]{1,16}-\d{1,12}\.pdf$/.test(path)) {
            const pdf = printer.printed.get(path.slice('/slips/'.length));
            if (!pdf) throw new ApiError(404, 'no such slip');
            return pdf;
          }
          throw new ApiError(404, `no route ${BOOTH_API}${path.slice(0, 60)}`);
      }
      await settle();
      return runtime.view();
    };
    const settle = () => runtime.settled();

    const http = createServer((req, res) => {
      const url = (req.url ?? '/');
      if (!url.startsWith('/') || url.startsWith('//')) return void res.writeHead(400).end('bad request');
      const pathname = new URL(url, 'http://booth').pathname;
      if (!isLoopbackHost(req.headers.host)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: the booth answers to 127.0.0.1 and localhost only');
      if (pathname.startsWith(`${BOOTH_API}/`)) {
        if (!isLoopbackOrigin(req.headers.origin)) return void reply(res, 403, { error: 'the booth answers to this machine only' });
        void api(req, pathname.slice(BOOTH_API.length)).then(
          (r) => (Buffer.isBuffer(r) ? res.writeHead(200, { 'content-type': 'application/pdf' }).end(r) : reply(res, 200, r)),
          (e) => {
            const status = e instanceof ApiError ? e.status : 500;
            if (status === 500) o.log?.(`booth api error: ${(e as Error).name}`);
            reply(res, status, { error: status === 500 ? 'The booth could not handle that request.' : (e as Error).message });
          },
        );
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end('method not allowed');
      // The booth's screen is the UI bundle's #booth route (a fragment never reaches the server: the query says it).
      if (url === '/') return void res.writeHead(302, { location: '/?booth=1#booth' }).end();
      serveUiFile(req, res);
    });
    // The view pushed to every screen when it changes (a tap, the center's answer, a timeout, a coin from the operator):
    // GET /api/v1/booth/ws, from this machine only, a few screens at most. The screens send nothing on it.
    const wss = new WebSocketServer({
      server: http, maxPayload: 1024,
      verifyClient: ({ origin, req }, done) => {
        if (new URL(req.url ?? '/', 'http://booth').pathname !== `${BOOTH_API}/ws`) return done(false, 404, 'Not Found');
        if (!isLoopbackOrigin(origin) || !isLoopbackHost(req.headers.host)) return done(false, 403, 'Forbidden');
        if (wss.clients.size >= MAX_SCREENS) return done(false, 503, 'Too many screens');
        done(true);
      },
    });
    let lastSent = '';
    const push = () => {
      const view = JSON.stringify(runtime.view());
      if (view === lastSent) return;
      lastSent = view;
      for (const ws of wss.clients) ws.send(view);
    };
    const unsubscribe = runtime.actor.subscribe(push);
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify(runtime.view()));
      ws.on('message', () => ws.close(1008, 'the booth takes taps over HTTP'));
    });
    await new Promise<void>((ok, fail) => {
      http.once('error', fail);
      http.listen(o.port, o.host ?? '127.0.0.1', () => ok());
    });
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : o.port;
    return {
      url: `http://${o.host ?? '127.0.0.1'}:${port}/`, port, runtime, cashBox, scanner, camera, printer, center: sim, terminalId, recovered,
      async close() {
        unsubscribe.unsubscribe();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        runtime.stop();
        journal.close();
        await new Promise<void>((ok) => http.close(() => ok()));
        sim?.close();
        lock?.release();
      },
    };
  } catch (e) {
    sim?.close();
    lock?.release();
    throw e;
  }
}


