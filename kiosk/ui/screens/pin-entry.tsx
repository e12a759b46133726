// Step 6: the 4-digit PIN on an on-screen keypad, shown masked. The digits live only in this component's state: they
// leave once, in a `pin` message, when the person presses Enter, and are wiped right after, when a check starts and
// when the screen goes away. They are never put in an attribute, a log or the view.
import { useEffect, useState } from 'preact/hooks';
import { Frame } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export const PIN_LENGTH = 4;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinEntry({ view, t, send }: ScreenProps) {
  const [digits, setDigits] = useState('');
  const entering = view.step === 'entering';

  useEffect(() => {
    if (!entering) setDigits('');
  }, [entering]);

  const press = (d: string) => {
    if (entering) setDigits((cur) => (cur.length >= PIN_LENGTH ? cur : cur + d));
  };
  const backspace = () => setDigits((cur) => cur.slice(0, -1));
  const clear = () => setDigits('');
  const enter = () => {
    if (!entering || digits.length !== PIN_LENGTH) return;
    send({ type: 'pin', digits });
    setDigits('');
  };

  // A hardware keyboard works too (testers, and kiosks with a physical PIN pad).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') backspace();
      else if (e.key === 'Escape') clear();
      else if (e.key === 'Enter') enter();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const tries = view.triesLeft;
  const status = view.step === 'verifying' ? t.verifying : view.step === 'authenticating' ? t.authenticating : null;

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.pinTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="pin-enter" disabled={!entering || digits.length !== PIN_LENGTH} onClick={enter}>
          {t.pinEnter}
        </button>
      }
    >
      <div class="pin-layout">
        <div class="pin-side">
          <p class="hint">{t.pinHint}</p>
          <div class="pin-display" data-testid="pin-display" data-length={digits.length} role="status" aria-label={t.pinEntered(digits.length)}>
            {Array.from({ length: PIN_LENGTH }, (_, i) => (
              <span class={`pin-cell${i < digits.length ? ' filled' : ''}`} aria-hidden="true">{i < digits.length ? '●' : ''}</span>
            ))}
          </div>
          {tries !== null && tries < 3 && tries > 0 && (
            <p class="tries" role="alert" data-testid="tries-left" data-tries={tries}>{t.triesLeft(tries)}</p>
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
