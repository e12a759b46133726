// The only impure part of the UI: one WebSocket to the kiosk server, reconnecting with backoff, holding the latest
// hello, view and device status, and sending what the person does. Screens never touch it; they get the state and
// a `send` function. Nothing sent is queued across a reconnect: a tap meant for an old screen must not land on a new
// one, and a PIN must never wait anywhere.
import type { ClientMessage, DeviceStatus, ServerMessage } from '../protocol.ts';
import type { KioskView } from '../view.ts';

export type Hello = Extract<ServerMessage, { type: 'hello' }>;

export interface ConnectionState {
  status: 'connecting' | 'open' | 'closed';
  hello: Hello | null;
  view: KioskView | null;
  devices: DeviceStatus | null;
  /** The server's count of views, rendered as data-rev on the kiosk's root (0 before the first). */
  rev: number;
  /** The server's last error message (a tap it refused); cleared by the next view. */
  error: string | null;
}

/** The part of the browser's WebSocket this module uses, so that tests can pass a fake one. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface ConnectionOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** First reconnect delay, doubled up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface Connection {
  getState(): ConnectionState;
  subscribe(listener: (s: ConnectionState) => void): () => void;
  /** Sends at once, or returns false when not connected (nothing is kept for later). */
  send(message: ClientMessage): boolean;
  close(): void;
}

const OPEN = 1;

/** ws://host/ws or wss://host/ws for the page's own origin. */
export function socketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

/** Applies one server message to the state (pure). Unknown or malformed messages leave it unchanged. */
export function reduce(state: ConnectionState, message: unknown): ConnectionState {
  if (!message || typeof message !== 'object') return state;
  const m = message as ServerMessage;
  switch (m.type) {
    case 'hello': return { ...state, hello: m };
    case 'view': return { ...state, view: m.view, devices: m.devices, rev: m.rev, error: null };
    case 'error': return { ...state, error: String(m.message) };
    default: return state;
  }
}

export function connect(options: ConnectionOptions): Connection {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5000;

  let state: ConnectionState = { status: 'connecting', hello: null, view: null, devices: null, rev: 0, error: null };
  const listeners = new Set<(s: ConnectionState) => void>();
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let delay = minDelay;
  let closed = false;

  const set = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of [...listeners]) l(state);
  };

  const open = () => {
    timer = null;
    if (closed) return;
    set({ ...state, status: 'connecting' });
    const s = createSocket(options.url);
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      delay = minDelay;
      set({ ...state, status: 'open' });
    };
    s.onmessage = (ev) => {
      if (socket !== s || typeof ev.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(ev.data);
      } catch {
        return;
      }
      set(reduce(state, parsed));
    };
    s.onerror = () => {
      // onclose follows and schedules the reconnect.
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      if (closed) return;
      set({ ...state, status: 'closed' });
      timer = setTimer(open, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  };

  open();

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(message) {
      if (!socket || socket.readyState !== OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const s = socket;
      socket = null;
      s?.close();
      set({ ...state, status: 'closed' });
    },
  };
}
