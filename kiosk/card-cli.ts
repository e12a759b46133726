// `kiosk card list` and `kiosk card serve`: a persona's virtual My Number Card served to pcscd through the vpcd
// driver, so that any PC/SC program (OpenSC, pcsc_scan, a vendor's own tool, the kiosk with --reader pcsc) can use
// it. Keys on stdin take it out and put it back without a restart; Ctrl+C (or SIGTERM) takes it out and stops.
import { createInterface } from 'node:readline';
import { VpcdBridge, VpcdUnavailableError } from '../reader/vpcd-bridge.ts';
import { RealClock } from './clock.ts';
import { StartError, UsageError, clockFlag, parseFlags } from './cli.ts';
import { loadSampleData } from './sample-data.ts';

export async function cardCommand(args: string[], out: Console): Promise<number> {
  const [sub, ...rest] = args;
  const data = loadSampleData();
  if (sub === 'list') {
    for (const p of data.personas) out.log(`${p.id.padEnd(20)} ${p.card.kind.padEnd(15)} ${p.label}`);
    return 0;
  }
  if (sub !== 'serve') throw new UsageError(`unknown card command "${sub ?? ''}" (expected: kiosk card list | kiosk card serve --persona ID)`);
  const { flags, rest: extra } = parseFlags(rest, {
    persona: (v) => (data.personas.some((p) => p.id === v) ? null : `no such persona (known: ${data.personas.map((p) => p.id).join(', ')})`),
    slot: (v) => (v === '0' || v === '1' ? null : 'expected 0 or 1 (vpcd has two slots: Virtual PCD 00 00 and 00 01)'),
    clock: clockFlag,
  });
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!flags.persona) throw new UsageError('name the card to serve: --persona ID (see kiosk card list)');
  const clock = new RealClock(flags.clock && flags.clock !== 'real' ? flags.clock : undefined);
  const slot = Number(flags.slot ?? 0) as 0 | 1;
  const bridge = new VpcdBridge({ slot });
  const readerName = `Virtual PCD 00 0${slot}`;
  // One card for the whole run: its PIN counter survives taking it out and putting it back, like a real card.
  const card = data.makeCard(flags.persona, clock.nowMs());
  try {
    await bridge.insert(card);
  } catch (e) {
    if (e instanceof VpcdUnavailableError) throw new StartError(e.message);
    throw e;
  }
  out.log(`Serving ${flags.persona}'s ${card.kind} in "${readerName}" (ATR ${card.atr.toString('hex').toUpperCase()}).`);
  out.log('Keys: r = take the card out / put it back, q = stop.');

  return await new Promise<number>((done) => {
    const stop = () => {
      bridge.remove();
      input.close();
      out.log(`Card removed; served ${bridge.exchanges} APDUs.`);
      done(0);
    };
    const toggle = async () => {
      if (bridge.inserted) {
        bridge.remove();
        out.log(`Card taken out of "${readerName}".`);
      } else {
        await bridge.insert(card).catch((e: Error) => out.error(`kiosk: ${e.message}`));
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
