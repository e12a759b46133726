// The pure parts of what the screen says without being looked at: the live region's announcement for every screen in
// every language, the timeout countdown, when the attract screen plays, and which keys kiosk mode holds back.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, SCREENS } from '../../machine/types.ts';
import { attractDelayMs, ATTRACT_AFTER_SECONDS } from './app.tsx';
import { secondsLeft, WARNING_SECONDS } from './components.tsx';
import { baseView } from './fixtures.ts';
import { announcement, endMessage, screenTitle } from './flow.ts';
import { declaredFor } from '../../machine/screens.ts';
import { strings, loadLanguage } from './i18n/index.ts';
import { isBlockedKey, isKioskMode } from './kiosk-mode.ts';

// The screen loads a language when it is chosen; these tests word every one.
await Promise.all(LANGUAGES.map(loadLanguage));

describe('the announcement of a screen change', () => {
  it.each(LANGUAGES)('%s: every screen has one, with its step or what happened', (l) => {
    const t = strings(l);
    const seen = new Set<string>();
    for (const screen of SCREENS) {
      const view = { ...baseView(screen, l), reason: null };
      const text = announcement(view, t);
      expect(text.trim(), screen).not.toBe('');
      expect(text).toContain(screenTitle(view, t));
      const n = declaredFor(screen, null).stepNumber;
      if (n !== null) expect(text.startsWith(t.step(n, 14))).toBe(true);
      seen.add(text);
    }
    // Each screen is announced differently, so a change is always heard.
    expect(seen.size).toBe(SCREENS.length);
  });

  it('says why a session ended, and changes with a sub-step', () => {
    const t = strings('en');
    const refused = { ...baseView('refused', 'en'), reason: 'certificate-expired' as const };
    expect(announcement(refused, t)).toBe(`${t.refusedTitle}: ${t.refusal['certificate-expired'].title}`);
    const timeout = { ...baseView('cancelled', 'en'), reason: 'timeout' as const };
    expect(endMessage(timeout, t)).toEqual(t.cancelled.timeout);
    // A card that is not a My Number Card is told what to do with that card; "no card" says paper cannot be read.
    const unsupported = { ...baseView('refused', 'en'), reason: 'unsupported-card' as const };
    expect(endMessage({ ...unsupported, unsupportedCard: 'juki-card' }, t)?.action).toBe(t.unsupportedCard['juki-card']);
    expect(endMessage({ ...unsupported, unsupportedCard: 'other' }, t)?.action).toMatch(/Kawasaki Citizens/);
    expect(endMessage({ ...baseView('refused', 'ja'), reason: 'no-card' as const }, strings('ja'))?.action).toMatch(/。通知カードや個人番号通知書は紙のため読み取れません。$/);
    // A cancel says the money was returned only when there was money.
    const cancelled = { ...baseView('cancelled', 'en'), reason: 'cancelled' as const };
    expect(endMessage({ ...cancelled, refunded: 500 }, t)).toEqual(t.cancelled.cancelled);
    expect(endMessage({ ...cancelled, refunded: 0 }, t)?.action).toBe(t.cancelledNoMoney);
    expect(endMessage({ ...cancelled, reason: 'payment-timeout' as const, refunded: 0 }, t)?.action).not.toMatch(/returned/);
    const entering = { ...baseView('pin-entry', 'en'), step: 'entering' };
    const verifying = { ...entering, step: 'verifying' };
    expect(announcement(entering, t)).not.toBe(announcement(verifying, t));
    expect(announcement(verifying, t)).toContain(t.verifying);
  });
});

describe('the timeout countdown', () => {
  const at = Date.parse('2026-11-24T10:01:30+09:00');
  it('counts to the server timer when the server names it', () => {
    expect(secondsLeft(at - 30_000, '2026-11-24T10:01:30+09:00', null)).toBe(30);
    expect(secondsLeft(at - 12_300, '2026-11-24T10:01:30+09:00', null)).toBe(13);
    expect(secondsLeft(at + 5_000, '2026-11-24T10:01:30+09:00', null)).toBe(0);
  });
  it('otherwise counts 30 s from when the warning appeared', () => {
    expect(secondsLeft(at + 10_000, null, at)).toBe(WARNING_SECONDS - 10);
    expect(secondsLeft(null, null, null)).toBe(WARNING_SECONDS);
  });
});

describe('the attract screen and kiosk mode', () => {
  it('plays after 30 s idle unless the URL says otherwise', () => {
    expect(attractDelayMs('')).toBe(ATTRACT_AFTER_SECONDS * 1000);
    expect(attractDelayMs('?attract=2')).toBe(2000);
    expect(attractDelayMs('?attract=0')).toBeNull();
  });
  it('kiosk mode is ?kiosk=1 and holds back zoom and navigation keys', () => {
    expect(isKioskMode('?kiosk=1')).toBe(true);
    expect(isKioskMode('?kiosk=0')).toBe(false);
    expect(isKioskMode('')).toBe(false);
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(isBlockedKey(key('+', { ctrlKey: true }), false)).toBe(true);
    expect(isBlockedKey(key('0', { metaKey: true }), false)).toBe(true);
    expect(isBlockedKey(key('ArrowLeft', { altKey: true }), false)).toBe(false);
    expect(isBlockedKey(key('ArrowLeft', { altKey: true }), true)).toBe(true);
    expect(isBlockedKey(key('F5'), true)).toBe(true);
    expect(isBlockedKey(key('5'), true)).toBe(false);
    expect(isBlockedKey(key('Enter'), true)).toBe(false);
  });
});
