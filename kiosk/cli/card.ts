// `kiosk card …`: the cards of the card store (var/cards by default, the folder `kiosk start --var` uses), and a card
// served to pcscd through the vpcd driver, so that any PC/SC program (OpenSC, pcsc_scan, a vendor's own tool, the
// kiosk with --reader pcsc) can use it. A card is the same card wherever it goes: its PIN counters and locks are
// written to the store as they change, and a card on one process's reader is refused to every other.
// Keys on stdin take a served card out and put it back without a restart; Ctrl+C (or SIGTERM) takes it out and stops.
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { VpcdBridge, VpcdUnavailableError, type ContactCard } from '../../reader/vpcd-bridge.ts';
import { RecordedCard } from '../../reader/recorded-card.ts';
import { MY_NUMBER_CARD_ATRS, parseAtr } from '../../reader/atrs.ts';
import { ATR_BY_KIND, PIN_NAMES, type CardKind, type PinName } from '../../reader/virtual-card.ts';
import { CardProfileError, readCardProfile, writeCardProfile } from '../../reader/card-profile.ts';
import { CardStore, CardStoreError, type HeldCard } from '../card-store.ts';
import { RealClock } from '../clock.ts';
import { openTrace, StartError, UsageError, type Check, type Flags } from './flags.ts';
import { entryOf, parseTrace } from '../../reader/trace.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const PINS: Record<string, PinName[]> = {
  auth: ['auth'], sign: ['sign'], info: ['cardInfo'], juki: ['juki'],
  // The 照合番号 A and B of both 券面 APs: the card's own data as PINs, 10 tries each.
  matching: ['cardInfoA', 'cardInfoB', 'surfaceA', 'surfaceB'],
  all: PIN_NAMES,
};

/** A persona's id, as `--persona` takes it. */
export const personaFlag: Check = (v) => {
  const data = loadSampleData();
  return data.personas.some((p) => p.id === v) ? null : `no such persona (known: ${data.personas.map((p) => p.id).join(', ')})`;
};

/** `kiosk card list | new | unlock | serve` with its flags, parsed and checked (main.ts). */
export async function cardCommand(sub: 'list' | 'new' | 'unlock' | 'serve' | 'profile', flags: Flags, json: boolean, out: Console): Promise<number> {
  const data = loadSampleData();
  const storeOf = (flags: Flags) => {
    const clock = new RealClock(flags.clock && flags.clock !== 'real' ? flags.clock : undefined);
    try {
      return { clock, store: new CardStore({ dir: join(resolve(flags.var ?? 'var'), 'cards'), data, clock }) };
    } catch (e) {
      throw new StartError((e as Error).message);
    }
  };
  const sources = [flags.persona, flags['from-trace'], flags.profile].filter((x) => x !== undefined).length;
  if (sub === 'serve' && sources > 1) throw new UsageError('serve one card: --persona ID, --from-trace TRACE or --profile FILE');
  if (sub === 'profile' && !flags.out) throw new UsageError('say where the profile goes: --out DIR');
  if (sub !== 'list' && !flags.persona && !(sub === 'serve' && sources)) throw new UsageError('name the card: --persona ID (see kiosk personas); kiosk card serve also takes --from-trace TRACE or --profile FILE');

  try {
    switch (sub) {
      case 'list':
        return list(storeOf(flags).store, data.personas, json, out);
      case 'new': {
        const variant = { ...(flags.uncollected === 'true' ? { uncollected: true } : {}), ...(flags.declined === 'true' ? { declined: true } : {}) };
        const record = storeOf(flags).store.make(flags.persona!, variant, 'kiosk card new');
        out.log(variant.uncollected
          ? `Made ${record.id}: ${flags.persona}'s new ${record.kind}, waiting at the office without certificates or PINs: kiosk counter collect --card ${record.id} hands it over.`
          : `Made ${record.id}: ${flags.persona}'s new ${record.kind}, now the one insert-card ${flags.persona} puts on a reader.`);
        return 0;
      }
      case 'unlock': {
        const record = storeOf(flags).store.restoreTries(flags.persona!, PINS[flags.pin ?? 'all'], 'operator (kiosk card unlock)');
        const left = Object.entries(record.memory).filter(([, m]) => m.secret).map(([pin, m]) => `${pin} ${m.triesLeft}`).join(', ');
        out.log(`${record.id}: tries given back (${left}); recorded in the card's history as an operator action.`);
        return 0;
      }
      case 'profile': {
        const clock = new RealClock(flags.clock && flags.clock !== 'real' ? flags.clock : undefined);
        const persona = data.persona(flags.persona!);
        const options = data.cardOptions(persona.id, data.mintCard(persona.id, clock.nowMs()));
        const file = writeCardProfile(resolve(flags.out!), options, profileAtrs(options.kind));
        out.log(`Wrote ${persona.id}'s ${options.kind} as a card profile: ${file} (its keys and certificates beside it; PINs as the card keeps them, salted hashes). kiosk card serve --profile ${file} serves it.`);
        return 0;
      }
      default: {
        const slot = Number(flags.slot ?? 0) as 0 | 1;
        const atr = atrOf(flags.atr);
        if (flags.profile) return await serve(() => fromProfile(flags.profile!, atr), slot, out, flags.trace);
        if (flags['from-trace']) return await serve(() => fromTrace(flags['from-trace']!, atr), slot, out, flags.trace);
        return await serve((reader) => fromStore(storeOf(flags).store, flags.persona!, reader, atr), slot, out, flags.trace);
      }
    }
  } catch (e) {
    if (e instanceof CardStoreError) throw new StartError(e.message);
    throw e;
  }
}

function list(store: CardStore, personas: Array<{ id: string; label: string; card: { kind: string } }>, json: boolean, out: Console): number {
  const cards = store.list();
  if (json) {
    out.log(JSON.stringify({ store: store.dir, cards }, null, 2));
    return 0;
  }
  const made = new Set(cards.map((c) => c.persona));
  out.log(`Cards in ${store.dir} (a persona's current card is the one insert-card puts on a reader):`);
  for (const c of cards) {
    const pins = Object.entries(c.pins).map(([pin, p]) => `${pin} ${p.locked ? 'LOCKED' : `${p.triesLeft} left`}`).join(', ');
    out.log(`  ${c.id.padEnd(24)} ${c.kind.padEnd(15)} ${c.current ? 'current' : 'old    '}  ${c.damaged ? `DAMAGED: ${c.damaged}` : pins || 'no PIN'}${c.onReader ? `  on a reader: ${c.onReader}` : ''}`);
  }
  const fresh = personas.filter((p) => !made.has(p.id));
  if (fresh.length) out.log(`  no card yet (made when first put on a reader): ${fresh.map((p) => p.id).join(', ')}`);
  return 0;
}

/** A card to put in vpcd's reader: a card of the store (held for the run), or one answering from a trace. */
interface Served {
  card: ContactCard;
  /** The trace's session name. */
  label: string;
  /** What the first line says is served. */
  said: string;
  release(): void;
  /** A last word at stop (the commands a recorded card had no answer for). */
  last?(): string | null;
}

/** One card of the store for the whole run: its PIN counters survive taking it out, a restart, the kiosk reading it. */
function fromStore(store: CardStore, persona: string, readerName: string, atr: Buffer | null): Served {
  const held: HeldCard = store.take(persona, `kiosk card serve (${readerName})`);
  return {
    card: atr ? withAtr(held.card, atr) : held.card, label: `kiosk card serve ${persona}`, said: `Serving ${held.id} (${persona}'s ${held.card.kind})`,
    release: () => held.release(),
  };
}

/** The same card behind another of its faces: every command goes to it, the ATR is the one asked for. */
function withAtr(card: ContactCard, atr: Buffer): ContactCard {
  return {
    atr, get powered() { return card.powered; }, powerOn: () => card.powerOn(), powerOff: () => card.powerOff(), reset: () => card.reset(),
    transmit: (command) => card.transmit(command),
  };
}

/** `--atr NAME|HEX`: one of the card's real ATRs by name (reader/atrs.ts), or any well-formed one in hex. */
export function atrOf(value: string | undefined): Buffer | null {
  if (value === undefined) return null;
  const atr = parseAtr(value);
  if (!atr) throw new UsageError(`--atr ${value.slice(0, 80)}: one of ${Object.keys(MY_NUMBER_CARD_ATRS).join(', ')}, or a well-formed ATR in hex (TS, T0, interface bytes, historical bytes, TCK)`);
  return atr;
}

/** A card profile (reader/PROFILE.md): the card it describes, answering with its first ATR or the one asked for. */
function fromProfile(file: string, atr: Buffer | null): Served {
  let loaded: ReturnType<typeof readCardProfile>;
  try {
    loaded = readCardProfile(file);
  } catch (e) {
    if (e instanceof CardProfileError) throw new StartError(e.message);
    throw e;
  }
  return {
    card: withAtr(loaded.card, atr ?? loaded.atrs[0]!), label: `kiosk card serve --profile ${basename(file)}`,
    said: `Serving the ${loaded.card.kind} of ${file}`, release: () => undefined,
  };
}

/** The ATRs a card profile of this kind lists, its own first. */
function profileAtrs(kind: CardKind): string[] {
  if (kind === 'my-number-card') return Object.keys(MY_NUMBER_CARD_ATRS).filter((n) => n !== 'juki');
  if (kind === 'juki-card') return ['juki'];
  return [ATR_BY_KIND[kind].toString('hex').toUpperCase()];
}

/** The card a trace recorded (kiosk card serve --from-trace): it answers as it did then. */
function fromTrace(file: string, atr: Buffer | null): Served {
  let card: RecordedCard;
  try {
    card = new RecordedCard(parseTrace(readFileSync(file, 'utf8')), atr ?? undefined);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StartError(`--from-trace ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!card.entries.length) throw new StartError(`--from-trace ${file} holds no exchange to answer with`);
  return {
    card, label: `kiosk card serve --from-trace ${basename(file)}`, said: `Serving the card recorded in ${file} (${card.entries.length} exchanges)`, release: () => undefined,
    last: () => (card.unknown.length ? `${card.unknown.length} command(s) the trace has no answer for were answered 6F 00: ${[...new Set(card.unknown)].slice(0, 5).map((c) => c.slice(0, 8)).join(', ')}` : null),
  };
}

async function serve(pick: (readerName: string) => Served, slot: 0 | 1, out: Console, tracePath?: string): Promise<number> {
  const readerName = `Virtual PCD 00 0${slot}`;
  const served = pick(readerName);
  // The card's side of every exchange, as vpcd delivered it.
  let trace: ReturnType<typeof openTrace> | null = null;
  try {
    trace = tracePath ? openTrace(tracePath) : null;
  } catch (e) {
    served.release();
    throw e;
  }
  const bridge = new VpcdBridge<ContactCard>({ slot, ...(trace ? { onExchange: (e) => trace!.write(entryOf(e, readerName, served.label)) } : {}) });
  try {
    await bridge.insert(served.card);
  } catch (e) {
    served.release();
    trace?.close();
    if (e instanceof VpcdUnavailableError) throw new StartError(e.message);
    throw e;
  }
  out.log(`${served.said} in "${readerName}" (ATR ${served.card.atr.toString('hex').toUpperCase()}).`);
  out.log(bridge.ackMode === 'quick-ack'
    ? 'vpcd\'s segments are acknowledged at once (TCP_QUICKACK): an APDU through pcscd takes well under a millisecond.'
    : 'vpcd\'s segments are acknowledged late (the tcp-quickack addon was not built): about 40 ms an APDU through pcscd.');
  out.log('Keys: r = take the card out / put it back, q = stop.');

  return await new Promise<number>((done) => {
    const stop = () => {
      bridge.remove();
      trace?.close();
      served.release();
      input.close();
      out.log(`Card removed; served ${bridge.exchanges} APDUs.`);
      const last = served.last?.();
      if (last) out.log(last);
      done(0);
    };
    const toggle = async () => {
      if (bridge.inserted) {
        bridge.remove();
        out.log(`Card taken out of "${readerName}".`);
      } else {
        await bridge.insert(served.card).catch((e: Error) => out.error(`kiosk: ${e.message}`));
        if (bridge.inserted) out.log(`Card put back in "${readerName}".`);
      }
    };
    // Keys arrive one at a time on a terminal, or as lines from a pipe; end of input changes nothing.
    const input = createInterface({ input: process.stdin });
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.on('data', (key: Buffer) => {
        const k = key.toString();
        if (k === 'q' || k === '\u0003') stop();
        else if (k === 'r') void toggle();
      });
    } else {
      input.on('line', (line) => {
        const k = line.trim();
        if (k === 'q') stop();
        else if (k === 'r') void toggle();
      });
    }
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
