// The 音声ガイド on a live screen: says each view's guidance when it appears (voice.ts), in the view's language once
// its words are loaded, and gives the screens their controls (VoiceContext). Muting lasts until the session ends: the
// next person at the main menu hears the guide again.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { VoiceControls } from './components.tsx';
import { useWords } from './app.tsx';
import { strings } from './i18n/index.ts';
import type { KioskView } from './types.ts';
import { DIGIT_PHRASE, guidance, type Phrase } from './voice.ts';
import { createVoicePlayer, type VoicePlayer } from './voice-player.ts';

let shared: VoicePlayer | null = null;
const player = () => (shared ??= createVoicePlayer(document.documentElement));

/** `enabled`: the guide and its controls; `speak` false keeps the controls silent (the #demo route's screens). */
export function useVoiceGuide(view: KioskView | null, enabled: boolean, speak = enabled): VoiceControls | null {
  const [muted, setMuted] = useState(false);
  const language = view?.language;
  // Drawn again when the view's words arrive (a language chosen is fetched): the guide speaks in them, not before.
  const words = useWords(language, 0);
  const ready = !!view && words.language === view.language;
  const phrases: Phrase[] | null = useMemo(
    () => (enabled && speak && view && ready ? guidance(view, strings(view.language)) : null),
    [enabled, speak, view, ready],
  );
  // Said when what would be said changes (a new screen, sub-step, wrong PIN, language), not on every snapshot.
  const said = phrases && language ? `${language}:${phrases.map((p) => p.key).join(' ')}` : '';
  const last = useRef('');
  useEffect(() => {
    if (!phrases || !language || said === last.current) return;
    last.current = said;
    if (view?.screen === 'top' && muted) {
      setMuted(false);
      player().setMuted(false);
    }
    player().say(language, phrases);
  }, [said]);
  useEffect(() => () => shared?.stop(), []);
  return useMemo(() => (!enabled || !language ? null : {
    muted,
    toggleMute: () => {
      player().setMuted(!muted);
      setMuted(!muted);
      if (muted && phrases) player().say(language, phrases);
    },
    repeat: () => player().repeat(),
    digit: () => speak && player().blip(language, { key: DIGIT_PHRASE, text: strings(language).voiceDigit }),
  }), [enabled, speak, language, muted, phrases]);
}
