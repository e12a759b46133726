// The pin-locked screen, rendered from the demo fixtures (the same views `#demo=pin-locked` shows): it lists the
// home municipality's offices where a PIN is reset, their hours and what to bring, in every language, with the
// offices' Japanese names untouched. Rendered without a DOM by walking the Preact element tree.
import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import municipalitiesJson from '../../assets/municipalities.json' with { type: 'json' };
import { LANGUAGES, type Language, type Municipality } from '../../machine/types.ts';
import { homeCity, UnknownHomeCityError } from '../view.ts';
import { Frame } from './components.tsx';
import { demoHome, demoState, parseDemo } from './fixtures.ts';
import { strings, loadLanguage } from './i18n/index.ts';
import { SCREEN_COMPONENTS } from './screens/index.ts';
import type { Hello } from './types.ts';

// The screen loads a language when it is chosen; these tests word every one.
await Promise.all(LANGUAGES.map(loadLanguage));

interface Element { type: string; props: Record<string, unknown>; text: string }

/** Every host element of a tree, in document order, with its text. Function components are pure and are called,
 *  except Frame (its clock comes from a context hook), whose title, content and actions are walked instead. */
function render(node: unknown, out: Element[] = []): Element[] {
  walk(node, out);
  return out;
}
function walk(node: unknown, out: Element[]): string {
  if (node == null || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map((n) => walk(n, out)).join('');
  const v = node as VNode<Record<string, unknown>>;
  if (typeof v.type === 'function') {
    if (v.type === (Frame as unknown)) return [v.props.title, v.props.children, v.props.actions].map((n) => walk(n, out)).join('');
    return walk((v.type as (p: unknown) => unknown)(v.props), out);
  }
  const el: Element = { type: v.type as string, props: v.props, text: '' };
  out.push(el);
  el.text = walk(v.props.children, out);
  return el.text;
}

function pinLocked(language: Language, hello: Hello | null = demoState(parseDemo('#demo=pin-locked')!).hello) {
  const state = demoState(parseDemo(`#demo=pin-locked&lang=${language}`)!);
  const Screen = SCREEN_COMPONENTS['pin-locked'];
  const els = render(Screen({ view: state.view!, t: strings(language), send: () => {}, hello, devices: state.devices }));
  const byTestId = (id: string) => els.filter((e) => e.props['data-testid'] === id);
  return { els, byTestId, text: els.map((e) => e.text).join('\n') };
}

describe('the pin-locked screen', () => {
  it('lists the seven ward offices of 川崎市, the Saturday hours and what to bring (ja)', () => {
    const { byTestId } = pinLocked('ja');
    const offices = byTestId('reset-office');
    expect(offices).toHaveLength(7);
    expect(offices.map((o) => o.text)).toContain('中原区役所 区民課中原区小杉町3-245');
    expect(byTestId('reset-guide')[0].props['data-city']).toBe('141305');
    expect(byTestId('reset-hours')[0].text).toContain('第2・第4土曜日 8:30〜12:30');
    expect(byTestId('reset-hours')[0].text).toContain('平日 9:00〜17:00');
    expect(byTestId('reset-closed')[0].text).toContain('12月29日〜1月3日');
    expect(byTestId('reset-bring')[0].text).toContain('マイナンバーカード');
    expect(byTestId('reset-elsewhere')[0].text).toContain('川崎市以外');
    expect(byTestId('done')).toHaveLength(1);
  });

  it.each(LANGUAGES)('%s: the same seven offices, in Japanese, with the guidance around them translated', (l) => {
    const { byTestId, text } = pinLocked(l);
    const offices = byTestId('reset-office');
    expect(offices).toHaveLength(7);
    for (const o of offices) expect(o.props.lang).toBe('ja');
    expect(offices.some((o) => o.text.includes('中原区役所 区民課'))).toBe(true);
    expect(byTestId('reset-hours')[0].text).toMatch(/8:30.+12:30/);
    expect(byTestId('reset-offices')[0].props['data-count']).toBe(7);
    expect(text).toContain(strings(l).resetWhere);
    expect(text).toContain(strings(l).resetElsewhere('川崎市'));
    // The JPKI call center is for lost cards, not for a locked PIN.
    expect(text).not.toContain('0120-95-0178');
  });

  it('says it in English around the Japanese names', () => {
    const { byTestId } = pinLocked('en');
    expect(byTestId('reset-hours')[0].text).toContain('2nd and 4th Saturday 8:30–12:30');
    expect(byTestId('reset-closed')[0].text).toContain('December 29 – January 3');
    expect(byTestId('reset-office')[2].text).toContain('中原区小杉町3-245');
  });

  it('follows the home municipality of the hello: one office and no Saturday line for 府中市', () => {
    const hello: Hello = { ...demoState(parseDemo('#demo=pin-locked')!).hello!, home: demoHome('132063') };
    const { byTestId } = pinLocked('ja', hello);
    expect(byTestId('reset-office').map((o) => o.text)).toEqual(['府中市役所 市民課府中市宮西町2-24']);
    expect(byTestId('reset-hours')[0].text).not.toContain('土曜日');
    expect(byTestId('reset-elsewhere')[0].text).toContain('府中市以外');
  });

  it('without a hello (not yet connected) still says where to go, without a list', () => {
    const { byTestId, text } = pinLocked('en', null);
    expect(byTestId('reset-office')).toHaveLength(0);
    expect(text).toContain(strings('en').resetWhere);
  });
});

describe('the home municipality in the hello', () => {
  const cities = municipalitiesJson.municipalities as unknown as Municipality[];

  it('is 川崎市 by default, with its reset offices, and matches the demo fixtures', () => {
    const home = homeCity(cities);
    expect(home.code).toBe('141305');
    expect(home.pinReset?.offices).toHaveLength(7);
    expect(home).toEqual(demoHome());
  });

  it('can be another municipality, and an unknown code is refused', () => {
    expect(homeCity(cities, '131059').pinReset?.offices[0].office).toBe('文京区役所 戸籍住民課');
    expect(() => homeCity(cities, '000000')).toThrow(UnknownHomeCityError);
  });
});
