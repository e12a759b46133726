// Every named ATR is one a real My Number Card answers with (spec §5.1), and each is well formed (pcscd treats a card
// with a broken ATR as a memory card): TS, the interface bytes T0 and TDi announce, the historical bytes, TCK.
import { describe, expect, it } from 'vitest';
import { MY_NUMBER_CARD_ATRS } from './atrs.ts';
import { atrChecksumOk } from './virtual-card.ts';

describe('the My Number Card ATRs', () => {
  it('are the eight of the fact sheet, each well formed', () => {
    expect(Object.values(MY_NUMBER_CARD_ATRS).map((a) => a.atr.toString('hex').toUpperCase())).toEqual([
      '3BDA13FF8131FB468012392F31C173C601C03B', '3BC5FF8131FB458073C6010000', '3B888001000041E0B381A1003B', '3B888001000005E0B381A1007F',
      '3B888001004B51FFB381D1000F', '3BF59100FF918171FE4000420001B3A115', '3BF59100FF918171FE400042000100D1D6', '3BE000FF8131FE4514',
    ]);
    for (const [name, a] of Object.entries(MY_NUMBER_CARD_ATRS)) expect(atrChecksumOk(a.atr), name).toBe(true);
  });
});

describe('parseAtr', () => {
  it('takes a name or well-formed hex, and nothing an object inherits', async () => {
    const { parseAtr } = await import('./atrs.ts');
    expect(parseAtr('juki')?.toString('hex')).toBe('3be000ff8131fe4514');
    expect(parseAtr('3B E0 00 FF 81 31 FE 45 14')?.toString('hex')).toBe('3be000ff8131fe4514');
    for (const bad of ['constructor', '__proto__', 'toString', '3BFF', 'contact ', 42, null]) expect(parseAtr(bad), String(bad)).toBeNull();
  });
});
