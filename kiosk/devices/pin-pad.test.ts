// The PIN pad holds a 4-digit PIN, or a PIN reset's signature password, between Enter and the one use of it: it
// refuses anything else without echoing it, hands it over once, and forgets it; two pads compare without revealing.
import { describe, expect, it } from 'vitest';
import { PinFormatError, PinPad } from './pin-pad.ts';

describe('the PIN pad', () => {
  it('takes 4 digits, or (as a password) 6-16 of A-Z and 0-9 with one of each; a refusal never carries what was typed', () => {
    const pad = new PinPad();
    for (const bad of ['123', '12345', 'abcd', '12a4', '']) expect(() => pad.enter(bad)).toThrow(PinFormatError);
    for (const bad of ['ABCDEF', '123456', 'ABC12', 'ABCDEFGHIJ1234567', 'abc123', 'ABC 123']) {
      let message = '';
      try {
        pad.enter(bad, 'password');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/6 to 16 capital letters/);
      expect(message).not.toContain(bad);
    }
    expect(pad.holding).toBe(false);
    pad.enter('SIGN01PW', 'password');
    expect(pad.holding).toBe(true);
  });

  it('hands the secret over once, whole, and is zeros again: a long password after a PIN leaves nothing behind', async () => {
    const pad = new PinPad();
    pad.enter('ABCDEFGHIJKLMN12', 'password');
    pad.enter('8642');
    expect(await pad.use(async (v) => v)).toBe('8642');
    expect(pad.wiped).toBe(true);
    expect(await pad.use(async (v) => v)).toBeNull();
    expect(JSON.stringify(pad)).toBe('{"holding":false}');
  });

  it('two pads (the new PIN typed twice) compare equal only when both hold the same secret', () => {
    const a = new PinPad();
    const b = new PinPad();
    expect(a.sameAs(b)).toBe(false);
    a.enter('2468');
    b.enter('2468');
    expect(a.sameAs(b)).toBe(true);
    b.enter('NEWPW123', 'password');
    expect(a.sameAs(b)).toBe(false);
    a.enter('NEWPW12', 'password');
    expect(a.sameAs(b)).toBe(false);
    a.wipe();
    expect(a.sameAs(b)).toBe(false);
  });
});
