// The conformance checks can fail: a reader that cuts long answers at 256 bytes fails the 258, 259 and whole-file
// checks and says why; a card taken out that is never reported fails the removal check; a city card (no certificate)
// makes the length checks not applicable.
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../../samples/sample-data.ts';
import { ResponseApdu } from '../apdu.ts';
import { SimReader } from '../sim-reader.ts';
import { runConformance } from './conformance.ts';

const data = loadSampleData();
const readerWith = (persona: string) => {
  const reader = new SimReader();
  reader.insert(data.makeCard(persona, Date.now()));
  return reader;
};

describe('runConformance', () => {
  it('a reader that cuts answers at 256 bytes fails the long reads, naming the cut', async () => {
    const reader = readerWith('kawasaki-taro');
    const checks = await runConformance({
      session: () => {
        const s = reader.connect();
        return { atr: s.atr, transmit: async (c) => { const r = await s.transmit(c); return new ResponseApdu(r.data.subarray(0, 256), r.sw1, r.sw2); } };
      },
    });
    expect(checks.map((c) => `${c.id} ${c.result}`)).toEqual([
      'protocol not-applicable', 'short-256 passed', 'extended-258 failed', 'extended-259 failed', 'extended-whole failed', 'two-programs not-applicable',
      'removal not-applicable', 'insertion not-applicable', 'new-session not-applicable',
    ]);
    expect(checks[2]!.detail).toBe('256 bytes, 9000 (expected 258 bytes, 9000): the reader or its driver cuts long answers');
  });

  it('a removal never reported fails; a card without a certificate makes the length checks not applicable', async () => {
    const reader = readerWith('kawasaki-taro');
    const checks = await runConformance({ session: () => reader.connect(), events: { removed: async () => false, inserted: async () => true } });
    expect(checks.filter((c) => c.id === 'removal' || c.id === 'insertion').map((c) => `${c.id} ${c.result}: ${c.detail}`)).toEqual([
      'removal failed: no removal was reported in time', 'insertion failed: not tried: the card was not taken out',
    ]);
    const city = await runConformance({ session: () => readerWith('city-card').connect() });
    expect(city.slice(1, 5).map((c) => `${c.result}: ${c.detail}`)).toEqual(Array(4).fill('not-applicable: the card has no JPKI AP'));
  });
});
