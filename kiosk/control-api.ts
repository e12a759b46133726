// The control API, version 1: everything the operator panel does and everything a QA script or a vendor's tool needs,
// over HTTP on loopback (/api/v1/...), beside the WebSocket (/api/v1/ws) that streams the view and carries the same
// operator messages. Each route is a row of ROUTES: its method, path, what it takes and what it does (a call on
// TerminalControl); the server dispatches by the table and the OpenAPI 3.1 document (kiosk/openapi.json, served at
// /api/v1/openapi.json) is written from the same table, so neither can name a route the other lacks.
// Trust, as for the center: only this machine (Host and Origin on loopback), JSON bodies only (a web page elsewhere on
// the machine cannot post a form here), at most 16 KiB, and a PIN is never echoed, logged or put in an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CENTER_ANSWERS } from '../center/scripted-center.ts';
import { blameOf, type TerminalControl } from './control.ts';
import { COUNTER_VERBS } from './counter/counter.ts';
import { FAULTS } from './terminal.ts';

export const API_PREFIX = '/api/v1';
const MAX_BODY_BYTES = 16 * 1024;

type Json = Record<string, unknown>;
type Schema = Json;

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/v1. */
  path: string;
  summary: string;
  /** The JSON body's schema (properties, required unless named in `optional`), or none. */
  body?: Record<string, Schema>;
  optional?: readonly string[];
  /** What it answers: the terminal's status after the request ('status'), or its own JSON. */
  answers: 'status' | { schema: Schema; description: string };
  run(control: TerminalControl, body: Json): unknown;
}

const CARD: Schema = {
  type: 'object', additionalProperties: false,
  description: 'A card made for a test: fewer tries left on the user-authentication PIN, certificates issued days ago, expired, declined, or not yet collected',
  properties: {
    triesLeft: { type: 'integer', minimum: 0, maximum: 3 }, issuedDaysAgo: { type: 'integer', minimum: 0, maximum: 3660 }, expired: { type: 'boolean' },
    declined: { type: 'boolean', description: 'The electronic certificates were declined at application: none on the card' },
    uncollected: { type: 'boolean', description: 'A new card waiting at the office: no certificates and no PINs until kiosk counter collect' },
  },
};
const persona: Schema = { type: 'string', description: 'A persona id (`kiosk personas`), e.g. kawasaki-taro', maxLength: 64 };
const STATUS_SCHEMA: Schema = {
  type: 'object',
  description: 'The terminal after the request: the view a screen shows (kiosk/view.ts) and the devices (kiosk/protocol.ts DeviceStatus).',
  properties: { view: { type: 'object' }, devices: { type: 'object' } },
  required: ['view', 'devices'],
};

/** The fields of each counter verb (all take the card). */
const COUNTER_FIELDS: Record<string, Record<string, Schema>> = {
  common: { card: { type: 'string', maxLength: 64, description: 'A card id (kawasaki-taro-2) or a persona (its current card)' } },
  'reset-pin': {
    pin: { enum: ['auth', 'sign', 'kenhojo'] }, new: { type: 'string', maxLength: 16, description: 'The new PIN (never echoed, logged or stored)' },
    who: { enum: ['holder', 'representative', 'proxy'] }, answered: { type: 'boolean', description: "A proxy's second visit" },
  },
  'change-pin': { pin: { enum: ['auth', 'sign', 'kenhojo'] }, new: { type: 'string', maxLength: 16 } },
  'report-lost': { police: { type: 'string', maxLength: 64 } },
  reissue: { express: { type: 'boolean' } },
  'issue-certificates': { new: { type: 'string', maxLength: 4, description: "The certificate's 4-digit PIN (never echoed, logged or stored)" } },
  'change-address': { to: { type: 'string', maxLength: 64 }, address: { type: 'string', maxLength: 200 } },
  'change-name': { name: { type: 'string', maxLength: 40 } },
  'reserve-pin-reset': {
    pin: { enum: ['auth', 'sign'] }, other: { type: 'string', maxLength: 16, description: 'The other PIN, which the JPKI app checks (never echoed, logged or stored)' },
  },
  apply: {
    declined: { type: 'boolean', description: 'Both certificate boxes blackened on the form: the card comes without electronic certificates' },
    braille: { type: 'boolean', description: 'The name in Braille on the card' },
    form: { type: 'string', maxLength: 64, description: 'A form that came by mail, scanned at the counter (the mail route); without it the office prints one' },
  },
  collect: {
    new: { type: 'string', maxLength: 4, description: 'The 4-digit PIN the holder sets for the user-authentication and card-information PINs (never echoed, logged or stored)' },
    password: { type: 'string', maxLength: 16, description: 'The signature password the holder sets, 6-16 of A-Z and 0-9 (none when the holder gets no signature certificate)' },
    who: { enum: ['holder', 'representative', 'proxy'] }, answered: { type: 'boolean', description: "A proxy brings the notice's 照会書 answered by the holder" },
    handedBack: { type: 'array', items: { enum: ['juki-card', 'notification-card'] }, maxItems: 2, description: 'The old cards handed back at collection and kept by the office' },
  },
  'move-in': { to: { type: 'string', maxLength: 64, description: 'The new city: its code or name (e.g. 横浜市)' }, address: { type: 'string', maxLength: 200 } },
  'continue-card': { pin: { type: 'string', maxLength: 4, description: "The 4-digit PIN the holder enters (never echoed, logged or stored)" } },
};

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/status', summary: 'The current screen and its view, and the devices', answers: 'status', run: () => undefined },
  {
    method: 'POST', path: '/screen/tap', summary: 'A tap or choice of the person: a ui.* event, as the touch screen sends it',
    body: { event: { type: 'object', description: 'e.g. {"type":"ui.start"}, {"type":"ui.selectCity","scope":"residence"} (machine/events.ts UiEvent, without `at`)' } },
    answers: 'status', run: (c, b) => c.tap(b.event as never),
  },
  {
    method: 'POST', path: '/screen/pin', summary: "The PIN pad's Enter: the digits (or a PIN reset's signature password) go to the card once and are wiped (never echoed, logged or stored)",
    body: { digits: { type: 'string', pattern: '^(?:[0-9]{4}|[A-Z0-9]{6,16})$' } }, answers: 'status', run: (c, b) => c.pin(b.digits),
  },
  {
    method: 'POST', path: '/reader/card', summary: "Put the persona's card (from the card store) on the reader; with card, a new card made so",
    body: { persona, card: CARD }, optional: ['card'], answers: 'status', run: (c, b) => c.insertCard(b.persona, b.card),
  },
  { method: 'DELETE', path: '/reader/card', summary: 'Take the card off the reader', answers: 'status', run: (c) => c.removeCard() },
  {
    method: 'POST', path: '/cards', summary: 'A new card for the persona in the card store (the next card put on the reader); with card, made so (e.g. uncollected)',
    body: { persona, card: CARD }, optional: ['card'], answers: 'status', run: (c, b) => c.newCard(b.persona, b.card),
  },
  {
    method: 'POST', path: '/cards/restore-tries', summary: "Give the persona's card its PIN tries back (recorded in the card's history as an operator action)",
    body: { persona }, answers: 'status', run: (c, b) => c.restoreTries(b.persona),
  },
  {
    method: 'POST', path: '/cash', summary: 'A coin or bill into the acceptor (refused ones are handed back and said so in the view)',
    body: { yen: { type: 'integer', minimum: 1, maximum: 10000, description: '10, 50, 100, 500, 1000, 2000, 5000 and 10000 are taken; any other coin is handed back' } }, answers: 'status', run: (c, b) => c.insertCash(b.yen),
  },
  {
    method: 'POST', path: '/faults', summary: 'A device fault or its cure (paper-out, paper-jam, center-down, storage-error, resume-service, ...)',
    body: { fault: { type: 'string', enum: [...FAULTS] } }, answers: 'status', run: (c, b) => c.fault(b.fault),
  },
  {
    method: 'PUT', path: '/printer/paper', summary: "The sheets in the printer's tray (0 empties it)",
    body: { sheets: { type: 'integer', minimum: 0, maximum: 10000 } }, answers: 'status', run: (c, b) => c.setPaper(b.sheets),
  },
  {
    method: 'PUT', path: '/printer/jam-after', summary: 'The printer jams after this many more sheets (0: now)',
    body: { sheets: { type: 'integer', minimum: 0, maximum: 10000 } }, answers: 'status', run: (c, b) => c.jamAfter(b.sheets),
  },
  {
    method: 'PUT', path: '/clock', summary: "Set the kiosk's clock to a Japan time (2000-2099, strictly parsed)",
    body: { time: { type: 'string', description: 'ISO 8601 with its offset, e.g. 2026-12-29T10:00:00+09:00' } }, answers: 'status', run: (c, b) => c.setClock(b.time),
  },
  {
    method: 'POST', path: '/clock/advance', summary: 'Move the clock on; the timers due meanwhile fire in order',
    body: { seconds: { type: 'number', exclusiveMinimum: 0, maximum: 604800 } }, answers: 'status', run: (c, b) => c.advanceClock(b.seconds),
  },
  {
    method: 'PUT', path: '/clock/rate', summary: 'How many times faster than real time the clock runs',
    body: { rate: { type: 'number', exclusiveMinimum: 0, maximum: 3600 } }, answers: 'status', run: (c, b) => c.setClockRate(b.rate),
  },
  {
    method: 'PUT', path: '/center/next', summary: "The center's answer to the next request: normal, or a chosen failure (once)",
    body: { answer: { type: 'string', enum: [...CENTER_ANSWERS] } }, answers: 'status', run: (c, b) => c.centerNext(b.answer),
  },
  {
    method: 'GET', path: '/spool', summary: 'The printed PDFs in the spool, by name (each served at /spool/NAME)',
    answers: { schema: { type: 'array', items: { type: 'string' } }, description: 'File names, sorted' }, run: (c) => c.spool(),
  },
  ...COUNTER_VERBS.map((verb): Route => ({
    method: 'POST', path: `/counter/${verb}`,
    summary: verb === 'status'
      ? "The ward-office counter: a card and the center's records of it (status, certificates, PIN counters, renewal, actions)"
      : `The ward-office counter: ${verb} (kiosk counter ${verb}; refused with 409 and why when a precondition is not met)`,
    body: { ...COUNTER_FIELDS.common, ...(COUNTER_FIELDS[verb] ?? {}) },
    optional: Object.keys(COUNTER_FIELDS[verb] ?? {}).filter((k) => !['pin', 'new', 'name', 'other'].includes(k) && !(verb === 'move-in' && k === 'to')),
    answers: { schema: { type: 'object' }, description: verb === 'status' ? 'The card as the counter sees it (kiosk/counter/counter.ts CounterStatus)' : 'The action recorded, a summary, and the card now (CounterResult)' },
    run: (c, b) => c.counter(verb, b),
  })),
  {
    method: 'GET', path: '/journal', summary: "The journal's recent records (money and print facts, never a PIN), oldest first",
    answers: { schema: { type: 'array', items: { type: 'object' } }, description: 'Journal records (kiosk/journal.ts)' }, run: (c) => c.journal(),
  },
];

/** The OpenAPI 3.1 document of ROUTES (kiosk/openapi.json is this, written by `npx tsx kiosk/control-api.ts`). */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { description: 'What was wrong and what to do', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const r of ROUTES) {
    const ok = r.answers === 'status'
      ? { description: 'The terminal after the request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Status' } } } }
      : { description: r.answers.description, content: { 'application/json': { schema: r.answers.schema } } };
    paths[`${API_PREFIX}${r.path}`] ??= {};
    paths[`${API_PREFIX}${r.path}`][r.method.toLowerCase()] = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(r.body ? {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', properties: r.body, required: Object.keys(r.body).filter((k) => !r.optional?.includes(k)), additionalProperties: false } } },
        },
      } : {}),
      responses: {
        200: ok,
        ...(r.body ? { 400: error, 415: error, 413: error } : {}),
        403: error,
        409: error,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'konbini-kiosk control API',
      version: '1',
      description: 'Drive a simulated konbini kiosk terminal: its screen, its devices, its clock and its center. Served by `kiosk start` on '
        + '127.0.0.1 only; requests must come from this machine (Host and Origin on loopback) with JSON bodies. The WebSocket at '
        + `${API_PREFIX}/ws streams {type:"view"} messages (the view and the devices) after every change and takes the same operator `
        + 'actions (kiosk/protocol.ts).',
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    paths,
    components: {
      schemas: {
        Status: STATUS_SCHEMA,
        Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
      },
    },
  };
}

/** The answer of a request the API refuses or cannot do (the booth's API answers with it too). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A JSON answer, never cached (the control API's, the booth's, the application site's). */
export function replyJson(res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(json));
}

/** A request's JSON object body: 415 when not declared JSON, 413 over `max` bytes, 400 when no JSON object. */
export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Json> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(415, 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new ApiError(413, `a request body is at most ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'the body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'the body is a JSON object');
  return body as Json;
}

/**
 * Answers a request under /api/v1 (the caller checked Host and Origin). Errors say what was wrong: 400 a bad request,
 * 404 no such route, 405 the route takes other methods, 409 not possible now (the screen, the card store), 413, 415.
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, control: TerminalControl, log?: (line: string) => void): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://kiosk').pathname.slice(API_PREFIX.length) || '/';
  const reply = (status: number, json: unknown) => replyJson(res, status, json);
  try {
    if (path === '/openapi.json' && req.method === 'GET') return void reply(200, openApiDocument());
    const routes = ROUTES.filter((r) => r.path === path);
    if (!routes.length) throw new ApiError(404, `no route ${API_PREFIX}${path.slice(0, 60)}: see ${API_PREFIX}/openapi.json`);
    const route = routes.find((r) => r.method === req.method);
    if (!route) {
      res.setHeader('allow', routes.map((r) => r.method).join(', '));
      throw new ApiError(405, `${API_PREFIX}${path} takes ${routes.map((r) => r.method).join(' or ')}`);
    }
    const body = route.body ? await readBody(req) : {};
    // As the document says (additionalProperties: false): a field the route does not take is a mistake, not noise.
    const stray = Object.keys(body).find((k) => !Object.hasOwn(route.body ?? {}, k));
    if (stray !== undefined) throw new ApiError(400, `${API_PREFIX}${path} takes ${Object.keys(route.body ?? {}).join(', ') || 'no body'}, not "${stray.slice(0, 40)}"`);
    const result = await route.run(control, body);
    await control.settled();
    reply(200, route.answers === 'status' ? { view: control.view(), devices: control.devices(), ...(result && typeof result === 'object' ? { result } : {}) } : result);
  } catch (e) {
    const status = e instanceof ApiError ? e.status : blameOf(e) ?? 500;
    // Messages name what went wrong; none repeats what was sent (it may have been a PIN).
    if (status === 500) log?.(`api error: ${(e as Error).name}`);
    reply(status, { error: status === 500 ? 'The kiosk could not handle that request.' : (e as Error).message });
  }
}

// `npx tsx kiosk/control-api.ts` writes the checked-in document.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(new URL('./openapi.json', import.meta.url), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
}
