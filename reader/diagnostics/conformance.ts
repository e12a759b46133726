// `kiosk reader probe --conformance`: the checks a reader certification asks of a reader with a My Number Card in it,
// each passed, failed or not applicable, with what was seen. The card's user-authentication certificate (1,571 bytes on
// our card, about as large on a real one) is the long file the length checks read: 256 bytes with a short Le, 258
// and 259 through extended APDUs (the lengths that break readers that cut at 256 or 258), and the whole file at once.
// A second program using the reader beside the first, and the card taken out and put back (the events, and a new
// session after them) complete it, and the protocol the reader chose is checked against those the ATR offers. Only
// reads: no PIN is sent, no counter moves.
import { CommandApdu } from '../apdu.ts';
import { decodeAtr, MalformedAtrError } from './atr.ts';
import { JPKI_AP_AID } from '../jpki-ap.ts';
import { CardRemovedError, type CardSession } from '../session.ts';

export type ConformanceResult = 'passed' | 'failed' | 'not-applicable';

export interface ConformanceCheck {
  id: 'protocol' | 'short-256' | 'extended-258' | 'extended-259' | 'extended-whole' | 'two-programs' | 'removal' | 'insertion' | 'new-session';
  name: string;
  result: ConformanceResult;
  detail: string;
}

export interface ConformanceRig {
  /** A session with the card in the reader. */
  session(): CardSession;
  /** The protocol the reader chose for that session ('T=0', 'T=1'), known after its first exchange; absent where none is negotiated. */
  protocol?(): string | null;
  /** A second program's session on the same reader (another PC/SC context), or null where there is none. */
  secondProgram?(): Promise<{ session: CardSession; close(): void } | null>;
  /** Takes the card out and puts it back (a simulated card), or asks the person to (a real one); null: not asked for. */
  events?: { removed(): Promise<boolean>; inserted(): Promise<boolean> } | null;
}

const NAMES: Record<ConformanceCheck['id'], string> = {
  protocol: 'the reader speaks a protocol the ATR offers (T=0 / T=1)',
  'short-256': 'READ BINARY with Le 00 answers 256 bytes',
  'extended-258': 'an extended APDU answers 258 bytes (Le 00 01 02)',
  'extended-259': 'an extended APDU answers 259 bytes (Le 00 01 03)',
  'extended-whole': 'an extended APDU answers the whole certificate at once (Le 00 00 00)',
  'two-programs': 'a second program uses the reader beside the first (shared mode)',
  removal: 'the card taken out is reported, and its session ends',
  insertion: 'the card put back is reported',
  'new-session': 'a new session after the card came back reads the card',
};

const selectAp = new CommandApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AP_AID });
const selectEf = (fid: number) => new CommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Buffer.from([fid >> 8, fid & 0xff]) });

/** Selects the JPKI AP and the user certificate's EF; returns its length from `30 82 HH LL`, or why it cannot. */
async function certificateOf(s: CardSession): Promise<number | string> {
  if ((await s.transmit(selectAp)).sw !== 0x9000) return 'the card has no JPKI AP';
  if ((await s.transmit(selectEf(0x000a))).sw !== 0x9000) return 'the card has no user certificate (EF 000A)';
  const head = await s.transmit(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4 }));
  if (head.sw !== 0x9000 || head.data[0] !== 0x30 || head.data[1] !== 0x82) return 'the certificate does not start 30 82';
  return 4 + head.data.readUInt16BE(2);
}

async function readLength(s: CardSession, le: number, expected: number): Promise<Pick<ConformanceCheck, 'result' | 'detail'>> {
  try {
    const r = await s.transmit(new CommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le, extended: le > 256 || le === 65536 }));
    const sw = r.sw.toString(16).toUpperCase().padStart(4, '0');
    if (r.sw === 0x9000 && r.data.length === expected) return { result: 'passed', detail: `${r.data.length} bytes, ${sw}` };
    return { result: 'failed', detail: `${r.data.length} bytes, ${sw} (expected ${expected} bytes, 9000)${r.data.length === 256 || r.data.length === 258 ? ': the reader or its driver cuts long answers' : ''}` };
  } catch (e) {
    return { result: 'failed', detail: `${(e as Error).name}: ${(e as Error).message.slice(0, 120)}` };
  }
}

export async function runConformance(rig: ConformanceRig): Promise<ConformanceCheck[]> {
  const out: ConformanceCheck[] = [];
  const add = (id: ConformanceCheck['id'], r: Pick<ConformanceCheck, 'result' | 'detail'>) => out.push({ id, name: NAMES[id], ...r });
  const first = rig.session();
  const size = await certificateOf(first);
  add('protocol', protocolCheck(first.atr, rig.protocol?.() ?? null, !!rig.protocol));
  const lengths: Array<[ConformanceCheck['id'], number]> = [['short-256', 256], ['extended-258', 258], ['extended-259', 259], ['extended-whole', 65536]];
  for (const [id, le] of lengths) {
    if (typeof size === 'string') add(id, { result: 'not-applicable', detail: size });
    else if (size < Math.min(le, 260)) add(id, { result: 'not-applicable', detail: `the certificate is ${size} bytes, shorter than ${le}` });
    else add(id, await readLength(first, le === 65536 ? 65536 : le, le === 65536 ? size : le));
  }

  const second = rig.secondProgram ? await rig.secondProgram().catch((e: Error) => e) : null;
  if (second === null) add('two-programs', { result: 'not-applicable', detail: 'one program only (the simulated reader lives in this process)' });
  else if (second instanceof Error) add('two-programs', { result: 'failed', detail: `the second program could not connect: ${second.message.slice(0, 120)}` });
  else {
    try {
      const a = await second.session.transmit(selectAp);
      const b = await first.transmit(selectAp);
      add('two-programs', a.sw === 0x9000 && b.sw === 0x9000
        ? { result: 'passed', detail: 'both programs selected the JPKI AP, one after the other' }
        : { result: 'failed', detail: `the second program got ${a.sw.toString(16)}, the first ${b.sw.toString(16)}` });
    } catch (e) {
      add('two-programs', { result: 'failed', detail: `${(e as Error).name}: ${(e as Error).message.slice(0, 120)}` });
    } finally {
      second.close();
    }
  }

  const events = rig.events;
  if (!events) {
    const why = 'give --events: the probe asks you to take the card out and put it back';
    for (const id of ['removal', 'insertion', 'new-session'] as const) add(id, { result: 'not-applicable', detail: why });
    return out;
  }
  const removed = await events.removed();
  let ended = false;
  if (removed) {
    ended = await first.transmit(selectAp).then(() => false, (e) => e instanceof CardRemovedError);
  }
  add('removal', removed && ended ? { result: 'passed', detail: 'reported removed; the old session answered CardRemovedError' }
    : { result: 'failed', detail: removed ? 'reported removed, but the old session still answered' : 'no removal was reported in time' });
  const inserted = removed && (await events.inserted());
  add('insertion', inserted ? { result: 'passed', detail: 'reported inserted' } : { result: 'failed', detail: removed ? 'no insertion was reported in time' : 'not tried: the card was not taken out' });
  if (!inserted) add('new-session', { result: 'not-applicable', detail: 'the card did not come back' });
  else {
    const again = await certificateOf(rig.session()).catch((e: Error) => `${e.name}: ${e.message.slice(0, 120)}`);
    add('new-session', typeof again === 'number' ? { result: 'passed', detail: `the certificate's header read again (${again} bytes)` } : { result: 'failed', detail: again });
  }
  return out;
}

/** The protocol chosen against the ATR's offer (its TDi bytes; T=0 alone when it has none). */
function protocolCheck(atr: Buffer, chosen: string | null, negotiated: boolean): Pick<ConformanceCheck, 'result' | 'detail'> {
  if (!negotiated) return { result: 'not-applicable', detail: 'the simulated reader passes APDUs to the card without a transmission protocol' };
  let offered: string[];
  try {
    offered = decodeAtr(atr).protocols;
  } catch (e) {
    if (e instanceof MalformedAtrError) return { result: 'failed', detail: `the ATR cannot be read: ${e.message.slice(0, 120)}` };
    throw e;
  }
  if (!chosen) return { result: 'failed', detail: `the reader named no protocol (the ATR offers ${offered.join(' and ')})` };
  return offered.includes(chosen)
    ? { result: 'passed', detail: `${chosen}, which the ATR offers (${offered.join(', ')})` }
    : { result: 'failed', detail: `${chosen}, which the ATR does not offer (it offers ${offered.join(' and ')})` };
}

export function formatConformance(readerName: string, checks: ConformanceCheck[]): string[] {
  const mark: Record<ConformanceResult, string> = { passed: 'PASS', failed: 'FAIL', 'not-applicable': 'n/a ' };
  const count = (r: ConformanceResult) => checks.filter((c) => c.result === r).length;
  return [
    `Conformance of ${readerName}:`,
    ...checks.map((c) => `  ${mark[c.result]}  ${c.name}: ${c.detail}`),
    `${count('passed')} passed, ${count('failed')} failed, ${count('not-applicable')} not applicable`,
  ];
}
