// Step 6: the 4-digit PIN on an on-screen keypad, shown masked. The digits live only in this component (a ref; the
// render sees only how many there are): they leave once, in a `pin` message, when the person presses Enter, and are
// wiped right after, when a check starts and when the screen goes away. Never in an attribute, a log or the view.
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { Frame, VoiceContext } from '../components.tsx';
import { useKeyEntry } from '../key-entry.ts';
import type { ScreenProps } from '../types.ts';

export const PIN_LENGTH = 4;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinEntry({ view, t, send }: ScreenProps) {
  // A ref, not state: a fast keyboard (or a hardware PIN pad) sends "0000⏎" before the screen re-renders, and the
  // Enter must see the fourth digit.
  const digits = useRef('');
  const [count, setCount] = useState(0);
  const entering = view.step === 'entering';
  // The voice guide says a digit went in, never which (voice.ts).
  const voice = useContext(VoiceContext);
  const live = useRef({ entering, send, voice });
  live.current = { entering, send, voice };
  const set = (d: string) => {
    digits.current = d;
    setCount(d.length);
  };

  useEffect(() => {
    if (!entering) set('');
  }, [entering]);
  useEffect(() => () => {
    digits.current = '';
  }, []);

  const press = (d: string) => {
    if (live.current.entering && digits.current.length < PIN_LENGTH) {
      set(digits.current + d);
      live.current.voice?.digit();
    }
  };
  const backspace = () => set(digits.current.slice(0, -1));
  const clear = () => set('');
  const enter = () => {
    if (!live.current.entering || digits.current.length !== PIN_LENGTH) return;
    live.current.send({ type: 'pin', digits: digits.current });
    set('');
  };

  // A hardware keyboard works too: digits, Backspace, Escape (clear) and Enter.
  useKeyEntry({ takes: (k) => /^[0-9]$/.test(k), press, backspace, clear, enter });

  const tries = view.triesLeft;
  const status = view.step === 'verifying' ? t.verifying : view.step === 'authenticating' ? t.authenticating : null;

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.pinTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="pin-enter" disabled={!entering || count !== PIN_LENGTH} onClick={enter}>
          {t.pinEnter}
        </button>
      }
    >
      <div class="pin-layout">
        <div class="pin-side">
          <p class="hint">{t.pinHint}</p>
          <div class="pin-display" data-testid="pin-display" data-length={count} role="status" aria-label={t.pinEntered(count)}>
            {Array.from({ length: PIN_LENGTH }, (_, i) => (
              <span class={`pin-cell${i < count ? ' filled' : ''}`} aria-hidden="true">{i < count ? '●' : ''}</span>
            ))}
          </div>
          {tries !== null && tries < 3 && tries > 0 && (
            <p class="tries" role="alert" data-testid="tries-left" data-tries={tries}>{view.pinWrong && <strong class="tries-wrong" data-testid="pin-wrong">{t.pinWrong}</strong>}{t.triesLeft(tries)}</p>
          )}
          {status && (
            <p class="progress" role="status" aria-live="polite" data-testid="pin-progress">
              <span class="spinner" aria-hidden="true" /> {status}
            </p>
          )}
        </div>
        <div class="keypad" role="group" aria-label={t.pinTitle}>
          {KEYS.map((k) => (
            <button type="button" class="key" data-testid={`pin-key-${k}`} disabled={!entering} onClick={() => press(k)}>{k}</button>
          ))}
          <button type="button" class="key key-fn" data-testid="pin-clear" disabled={!entering} onClick={clear}>{t.pinClear}</button>
          <button type="button" class="key" data-testid="pin-key-0" disabled={!entering} onClick={() => press('0')}>0</button>
          <button type="button" class="key key-fn" data-testid="pin-backspace" disabled={!entering} aria-label={t.pinBackspace} onClick={backspace}>
            <span aria-hidden="true">⌫</span>
          </button>
        </div>
      </div>
    </Frame>
  );
}
