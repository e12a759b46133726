// The voice guide's words, for every screen state the audit knows, in every language: what it says is the screen's
// own heading first, then what the screen says happened and what to do, all of it phrases the build renders; a PIN
// is never in it.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../machine/types.ts';
import { VARIANTS } from '../../tests/browser/variants.ts';
import { demoState, parseDemo } from './fixtures.ts';
import { endMessage, screenTitle } from './flow.ts';
import { loadLanguage } from './i18n/index.ts';
import { allPhrases, DIGIT_PHRASE, guidance, spoken } from './voice.ts';

describe.each(LANGUAGES)('the voice guide in %s', (language) => {
  it('says each screen\'s heading, then its message, only in phrases the build renders', async () => {
    const t = await loadLanguage(language);
    const rendered = new Map(allPhrases(t).map((p) => [p.key, p.text]));
    for (const [name, params] of VARIANTS) {
      const view = demoState(parseDemo(`#${params}&lang=${language}`)!).view!;
      const said = guidance(view, t);
      for (const p of said) expect(rendered.get(p.key), `${name}: ${p.key}`).toBe(p.text);
      expect(said[0].text, name).toBe(screenTitle(view, t));
      const m = endMessage(view, t);
      if (m) expect(spoken(said), name).toContain(`${m.title}`);
      if (view.screen === 'take-card' || name.endsWith('card-left')) expect(said.map((p) => p.key), name).toContainEqual(expect.stringMatching(/^removeReminder/));
    }
  });

  it('tells a wrong PIN and the tries left, and never a digit typed', async () => {
    const t = await loadLanguage(language);
    const view = demoState(parseDemo(`#demo=pin-entry&lang=${language}`)!).view!;
    const wrong = guidance({ ...view, step: 'entering', triesLeft: 1, pinWrong: true }, t);
    expect(wrong.map((p) => p.key)).toEqual(['pinTitle', 'pinWrong', 'triesLeft.1']);
    expect(allPhrases(t).find((p) => p.key === DIGIT_PHRASE)?.text).toBe(t.voiceDigit);
    // No phrase of any screen is made of what a person typed: the only numbers said are the catalog's own.
    for (const p of allPhrases(t)) expect(p.key).toMatch(/^([a-z][A-Za-z0-9-]*)(\.[a-z][A-Za-z0-9-]*)*(\.[12])?$/);
  });
});
