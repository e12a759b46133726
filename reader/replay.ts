// Replays a recorded APDU trace (reader/trace.ts) against a card and says, exchange by exchange, where the card
// answers otherwise: a status word, the length of the data (its shape), or only its bytes. A vendor records a session
// on a real card and replays it against the virtual one, or the other way round. A command whose PIN data the trace
// masked is sent with the PIN of the file it was meant for (the EF its P2 names by SFI, else the EF last selected: 0018
// the user PIN, 001B the signature password, 0011 the 券面事項入力補助 PIN, 001C the 住基 PIN, 0014/0013 照合番号A,
// 0015/0012 照合番号B) when the caller knows them, and is skipped otherwise.
import { CommandApdu } from './apdu.ts';
import type { CardSession } from './session.ts';
import type { TraceEntry } from './trace.ts';

export interface KnownPins {
  auth?: string;
  sign?: string;
  cardInfo?: string;
  juki?: string;
  /** 照合番号A: the My Number. */
  matchingA?: string;
  /** 照合番号B: birth YYMMDD + the card's expiry year + its security code. */
  matchingB?: string;
}

export type ReplayOutcome = 'same' | 'data-differs' | 'shape-differs' | 'sw-differs' | 'no-answer' | 'skipped';

export interface ReplayStep {
  index: number;
  /** The command as the trace has it (masked). */
  command: string;
  outcome: ReplayOutcome;
  recorded: { sw: string | null; bytes: number | null };
  replayed: { sw: string | null; bytes: number | null };
  detail?: string;
}

export interface ReplayReport {
  exchanges: number;
  same: number;
  /** Exchanges whose status word or data length differ (what a vendor must look at). */
  differences: number;
  /** Same status word and length, other bytes (a certificate of another day, a signature over other data). */
  dataOnly: number;
  skipped: number;
  steps: ReplayStep[];
}

/** Every PIN EF of the card is one of these numbers in whichever AP it is (0011 only in the 入力補助AP here). */
const PIN_BY_EF: Record<string, keyof KnownPins> = {
  '0018': 'auth', '001B': 'sign', '0011': 'cardInfo', '001C': 'juki', '0014': 'matchingA', '0013': 'matchingA', '0015': 'matchingB', '0012': 'matchingB',
};

/** The command to send for a trace entry: its bytes, with masked PIN data filled in when the PIN is known. */
function commandOf(e: TraceEntry, selectedEf: string | null, pins: KnownPins): Buffer | null {
  if (!e.command.includes('*')) return Buffer.from(e.command, 'hex');
  // P2 = 80|SFI names the PIN EF itself; P2 = 80, the current one.
  const sfi = Number.parseInt(e.command.slice(6, 8), 16) & 0x1f;
  const ef = sfi ? sfi.toString(16).toUpperCase().padStart(4, '0') : selectedEf;
  const which = ef ? PIN_BY_EF[ef] : undefined;
  const pin = which ? pins[which] : undefined;
  if (!pin) return null;
  const header = Buffer.from(e.command.slice(0, 8), 'hex');
  return new CommandApdu({ cla: header[0]!, ins: header[1]!, p1: header[2]!, p2: header[3]!, data: Buffer.from(pin, 'ascii') }).toBytes();
}

export async function replayTrace(entries: TraceEntry[], session: CardSession, pins: KnownPins = {}): Promise<ReplayReport> {
  const steps: ReplayStep[] = [];
  let selectedEf: string | null = null;
  for (const [index, e] of entries.entries()) {
    const recorded = { sw: e.sw, bytes: e.response === null ? null : e.response.length / 2 };
    // SELECT by FID (00 A4 02 0C 02 FFFF): the EF a following VERIFY is for.
    if (/^00A4020C02[0-9A-F]{4}$/.test(e.command)) selectedEf = e.command.slice(10, 14);
    const bytes = commandOf(e, selectedEf, pins);
    if (!bytes) {
      steps.push({ index, command: e.command, outcome: 'skipped', recorded, replayed: { sw: null, bytes: null }, detail: 'its PIN data is masked and the PIN is not known' });
      continue;
    }
    let sw: string | null = null;
    let data: Buffer | null = null;
    let error: string | undefined;
    try {
      const r = await session.transmit(CommandApdu.parse(bytes));
      sw = r.toBytes().subarray(-2).toString('hex').toUpperCase();
      data = Buffer.from(r.data);
    } catch (x) {
      error = (x as Error).name;
    }
    const replayed = { sw, bytes: data === null ? null : data.length };
    const outcome: ReplayOutcome = sw === null
      ? (e.sw === null ? 'same' : 'no-answer')
      : sw !== e.sw ? 'sw-differs'
        : replayed.bytes !== recorded.bytes ? 'shape-differs'
          : data!.toString('hex').toUpperCase() === (e.response ?? '') ? 'same' : 'data-differs';
    steps.push({ index, command: e.command, outcome, recorded, replayed, ...(error ? { detail: error } : {}) });
  }
  const count = (...o: ReplayOutcome[]) => steps.filter((s) => o.includes(s.outcome)).length;
  return {
    exchanges: steps.length, same: count('same'), differences: count('sw-differs', 'shape-differs', 'no-answer'), dataOnly: count('data-differs'),
    skipped: count('skipped'), steps,
  };
}
