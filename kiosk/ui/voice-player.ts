// The 音声ガイド's player: the impure side of kiosk/ui/voice.ts. It plays a screen's phrases one after the other from
// the files the build rendered (voice/<language>/<key>.ogg), stops them when the screen changes, and can be muted and
// asked to say it again. Its state is on <html data-voice-state> and the phrases on data-voice, for tests and staff;
// no sound is needed for the screen to work (a browser that blocks it shows "blocked", and the screen goes on).
import type { Language } from '../../machine/types.ts';
import { voiceUrl, type Phrase } from './voice.ts';

const START_DELAY_MS = 80;

export type VoiceState = 'idle' | 'starting' | 'playing' | 'done' | 'muted' | 'blocked' | 'error';

export interface VoicePlayer {
  /** Says these phrases now, in place of whatever is being said. */
  say(language: Language, phrases: readonly Phrase[]): void;
  /** Says the last phrases again (the repeat control), even if they were cut short. */
  repeat(): void;
  /** A short phrase said over nothing else (a PIN digit entered): cuts what is playing. */
  blip(language: Language, phrase: Phrase): void;
  setMuted(muted: boolean): void;
  readonly muted: boolean;
  stop(): void;
}

export function createVoicePlayer(root: HTMLElement, makeAudio: () => HTMLAudioElement = () => new Audio()): VoicePlayer {
  /** The element playing the current phrases: a new one for each screen, so that an event of the last screen's
   *  (its phrase ending just as the screen changed) never moves this one's queue. */
  let audio: HTMLAudioElement | null = null;
  let queue: string[] = [];
  let last: { language: Language; phrases: readonly Phrase[] } | null = null;
  let muted = false;
  const show = (state: VoiceState) => root.setAttribute('data-voice-state', state);
  const next = (el: HTMLAudioElement) => {
    if (el !== audio) return;
    const url = queue.shift();
    if (!url) {
      show('done');
      return;
    }
    el.src = url;
    el.play().then(() => { if (el === audio) show('playing'); }, (e: unknown) => {
      if (el !== audio) return;
      // NotAllowedError: the browser wants a tap first (a kiosk is started with autoplay allowed).
      show((e as Error)?.name === 'NotAllowedError' ? 'blocked' : 'error');
      queue = [];
    });
  };
  const silence = () => {
    clearTimeout(starting);
    audio?.pause();
    audio = null;
    queue = [];
  };
  /** The speech starts a moment after the screen it is for: loading audio on the main thread must not delay the
   *  frame that shows the screen (a tap is painted first; 80 ms of silence is not heard as late). */
  let starting: ReturnType<typeof setTimeout> | undefined;
  const play = (language: Language, phrases: readonly Phrase[]) => {
    silence();
    root.setAttribute('data-voice', `${language}:${phrases.map((p) => p.key).join(' ')}`);
    if (muted) {
      show('muted');
      return;
    }
    queue = phrases.map((p) => voiceUrl(language, p.key));
    show('starting');
    starting = setTimeout(() => {
      const el = makeAudio();
      audio = el;
      el.addEventListener('ended', () => next(el));
      el.addEventListener('error', () => {
        if (el !== audio) return;
        show('error');
        next(el);
      });
      next(el);
    }, START_DELAY_MS);
  };
  show('idle');
  return {
    say(language, phrases) {
      last = { language, phrases };
      play(language, phrases);
    },
    repeat() {
      if (last) play(last.language, last.phrases);
    },
    blip(language, phrase) {
      if (!muted) play(language, [phrase]);
    },
    setMuted(m) {
      muted = m;
      if (m) {
        silence();
        show('muted');
      } else {
        show('idle');
      }
    },
    get muted() {
      return muted;
    },
    stop() {
      silence();
    },
  };
}
