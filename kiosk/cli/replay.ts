// `kiosk card replay TRACE`: a recorded APDU trace sent again to a card (a fresh virtual card of a persona, or the card
// in a PC/SC reader), and every exchange whose answer differs reported. Exit 0 when the status words and the data's
// shapes all match, 1 when one does not, 2 when the trace or the reader cannot be used.
import { readFileSync } from 'node:fs';
import { PcscReader, NoPcscReaderError, PcscdNotRunningError, PcscUnavailableError } from '../../reader/pcsc-reader.ts';
import { cardEvent } from '../../reader/reader.ts';
import { replayTrace, type KnownPins, type ReplayReport } from '../../reader/replay.ts';
import { matchingNumberB } from '../../reader/card-info-ap.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { parseTrace, TraceFormatError, type TraceEntry } from '../../reader/trace.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { parseTime } from '../clock.ts';
import { StartError, UsageError, type Flags } from './flags.ts';

export async function replay(file: string, flags: Flags, json: boolean, out: Console): Promise<number> {
  const shown = file.length > 120 ? `${file.slice(0, 120)}…` : file;
  let entries: TraceEntry[];
  try {
    entries = parseTrace(readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof TraceFormatError) throw new StartError(`${shown}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new StartError(`${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a trace' : code === 'ENAMETOOLONG' ? 'the name is too long' : (e as Error).message.slice(0, 200)}`);
  }
  if (!entries.length) throw new StartError(`${shown} holds no exchange to replay`);
  if (!flags.persona && !flags.reader) throw new UsageError('replay against a card: --persona ID (a fresh virtual card) or --reader NAME (the card in a PC/SC reader)');
  const data = loadSampleData();
  const persona = flags.persona ? data.persona(flags.persona) : null;
  const at = flags.clock ? parseTime(flags.clock) : Date.now();
  const pins = persona ? personaPins(data, persona.id, at) : {};
  let report: ReplayReport;
  if (flags.reader) {
    const reader = new PcscReader({ name: flags.reader, waitMs: 1500 });
    try {
      await reader.open().catch((e: Error) => {
        if (e instanceof PcscUnavailableError || e instanceof PcscdNotRunningError || e instanceof NoPcscReaderError) throw new StartError(e.message);
        throw e;
      });
      if (!reader.cardPresent) await cardEvent(reader, 'inserted', 1500);
      if (!reader.cardPresent) throw new StartError(`no card in ${reader.name}: place one (kiosk card serve puts a virtual one there)`);
      report = await replayTrace(entries, reader.connect(), pins);
    } finally {
      reader.close();
    }
  } else {
    const reader = new SimReader();
    reader.insert(data.makeCard(persona!.id, at));
    report = await replayTrace(entries, reader.connect(), pins);
  }
  if (json) out.log(JSON.stringify(report, null, 2));
  else {
    for (const s of report.steps.filter((x) => x.outcome !== 'same')) {
      const shape = (r: { sw: string | null; bytes: number | null }) => (r.sw === null ? 'no answer' : `${r.bytes} bytes ${r.sw}`);
      out.log(`#${s.index + 1} ${s.command.slice(0, 8)}…: ${s.outcome}: recorded ${shape(s.recorded)}, replayed ${shape(s.replayed)}${s.detail ? ` (${s.detail})` : ''}`);
    }
    out.log(`${report.exchanges} exchanges: ${report.same} the same, ${report.differences} with another status word or data length, ${report.dataOnly} with other bytes only, ${report.skipped} skipped`);
  }
  return report.differences ? 1 : 0;
}

/** What a persona's card takes as PINs: its 4 digits (user, 券面事項入力補助, 住基), its password, and its 照合番号. */
function personaPins(data: ReturnType<typeof loadSampleData>, id: string, at: number): KnownPins {
  const { card } = data.persona(id);
  const info = data.cardOptions(id, data.mintCard(id, at)).cardInfo;
  const surface = info?.surface;
  return {
    auth: card.pin, sign: card.signPin, cardInfo: card.pin, juki: card.pin, matchingA: info?.myNumber,
    matchingB: info && surface ? matchingNumberB(info.birthDate, surface.expires, surface.securityCode) : undefined,
  };
}
