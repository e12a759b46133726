// 音声ガイド: what the kiosk says aloud, as real city-hall and konbini machines do. Pure: a view in, the phrases to say
// out. Each phrase is a fixed sentence of the language's catalog (a screen's heading, a refusal and what to do, a
// wrong PIN, a digit entered), so the speech is rendered once at build time (kiosk/voice/render.ts, espeak-ng) and
// plays offline. Nothing the person typed is ever a phrase: a PIN digit is "one digit entered", never the digit.
import type { Language } from '../../machine/types.ts';
import type { KioskView } from '../view.ts';
import { endParts, joinParts, screenTitleKey, showsTimeoutWarning, TITLE_KEYS, wordsAt } from './flow.ts';
import type { Strings } from './i18n/index.ts';

/** A phrase: its key (a catalog path, also its file's name) and its words. */
export interface Phrase {
  key: string;
  text: string;
}

/** Where the rendered speech is served, beside the UI: voice/<language>/<key>.ogg, and the manifest. */
export const VOICE_DIR = 'voice';
export const voiceUrl = (language: Language, key: string) => `${VOICE_DIR}/${language}/${key}.ogg`;

/** The manifest the build writes (voice/manifest.json): each phrase's words and how long it plays. */
export type VoiceManifest = Record<Language, Record<string, { text: string; ms: number; bytes: number }>>;

/** Said when a PIN digit goes in (never the digit). */
export const DIGIT_PHRASE = 'voiceDigit';

const phrase = (t: Strings, key: string): Phrase => ({ key, text: wordsAt(t, key) });

/**
 * What the kiosk says when this view appears: the screen's heading, then on an end screen what happened and what to
 * do, on the PIN pad a wrong PIN and the tries left, the timeout warning when it comes, and the reminder while a card
 * is left on the reader.
 */
export function guidance(v: KioskView, t: Strings): Phrase[] {
  const out = [phrase(t, screenTitleKey(v))];
  const end = endParts(v, t);
  if (end) out.push(phrase(t, end.title), ...end.action.map((k) => phrase(t, k)));
  if (v.screen === 'pin-entry' && v.step === 'entering' && v.triesLeft !== null && v.triesLeft < 3) {
    if (v.pinWrong) out.push(phrase(t, 'pinWrong'));
    out.push({ key: `triesLeft.${v.triesLeft}`, text: t.triesLeft(v.triesLeft) });
  }
  // The timeout warning over a screen: it is about to end (on card removal the warning is the reminder below).
  if (showsTimeoutWarning(v)) out.push(phrase(t, 'warningTitle'), phrase(t, 'warningText'));
  if (v.screen === 'take-card' || (v.screen === 'card-removal' && v.warning) || (v.cardOnReader && END_SCREENS.has(v.screen))) {
    out.push(phrase(t, v.medium === 'phone' ? 'removeReminderPhone' : 'removeReminder'));
  }
  return out;
}

const END_SCREENS = new Set<KioskView['screen']>(['refused', 'pin-locked', 'cancelled', 'registered', 'pin-reset']);

/** Every phrase a language can say: what the build renders (a guidance phrase missing here fails the voice test). */
export function allPhrases(t: Strings): Phrase[] {
  const keys: string[] = [...TITLE_KEYS];
  for (const group of ['refusal', 'outOfService', 'printFailure', 'cancelled'] as const) {
    for (const k of Object.keys(t[group])) keys.push(`${group}.${k}.title`, `${group}.${k}.action`);
  }
  for (const k of Object.keys(t.unsupportedCard)) keys.push(`unsupportedCard.${k}`);
  keys.push('paperCard', 'cancelledNoMoney', 'pinLockedText', 'resetWhere', 'pinWrong', 'warningTitle', 'warningText', 'removeReminder', 'removeReminderPhone', DIGIT_PHRASE);
  const phrases = [...new Set(keys)].map((k) => phrase(t, k));
  for (const n of [1, 2]) phrases.push({ key: `triesLeft.${n}`, text: t.triesLeft(n) });
  return phrases;
}

/** The phrases said one after the other, as one text (the tests compare it with the screen's words). */
export const spoken = (phrases: readonly Phrase[]) => joinParts(phrases.map((p) => p.text));

