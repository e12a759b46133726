// 暗証番号リセット (card-life.md §3.3): choose the PIN reserved in the JPKI app, enter the other PIN, then the new one
// twice. As on the PIN screen, what is typed lives only in a ref and leaves once, in a `pin` message, on Enter; the
// signature password gets a keyboard of A-Z and 0-9, the 4-digit PIN the keypad.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ResettablePin } from '../../../machine/types.ts';
import { Frame, ReaderIllustration } from '../components.tsx';
import { useKeyEntry } from '../key-entry.ts';
import { tap, type ScreenProps } from '../types.ts';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
/** What each PIN looks like: the user PIN 4 digits, the signature password 6-16 of A-Z and 0-9 with one of each. */
const FORM: Record<ResettablePin, { max: number; complete: (v: string) => boolean }> = {
  auth: { max: 4, complete: (v) => /^[0-9]{4}$/.test(v) },
  sign: { max: 16, complete: (v) => /^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6,16}$/.test(v) },
};

export function PinReset({ view, t, send }: ScreenProps) {
  const step = view.step;
  const pin = view.reset?.pin ?? 'auth';
  const other: ResettablePin = pin === 'auth' ? 'sign' : 'auth';
  // Which PIN is typed now: the other one first, then the one being reset.
  const typing: ResettablePin | null = step === 'other' ? other : step === 'new' || step === 'confirm' ? pin : null;
  if (step === 'choosing') {
    return (
      <Frame view={view} t={t} send={send} title={t.resetTitle}>
        <p class="lead">{t.resetChoose}</p>
        <div class="menu-list">
          {(view.reset?.offered ?? []).map((p) => (
            <button type="button" class="choice" data-testid={`reset-${p}`} onClick={tap(send, { type: 'ui.choosePinToReset', pin: p })}>
              <span class="choice-label">{t.resetPinNames[p]}</span>
              <span class="choice-sub">{t.resetPinForms[p]}</span>
            </button>
          ))}
        </div>
        <p class="notice">{t.resetRule}</p>
      </Frame>
    );
  }
  if (step === 'done') {
    return (
      <Frame view={view} t={t} send={send} title={t.resetTitle}
        actions={<button type="button" class="btn btn-primary" data-testid="done" onClick={tap(send, { type: 'ui.done' })}>{t.backToTop}</button>}>
        <div class="reader-stage">
          <ReaderIllustration medium="card" lift />
          <div class="reader-text">
            <p class="lead" data-testid="reset-done" data-pin={pin}>{t.resetDone(t.resetPinNames[pin])}</p>
            <p class="notice">{t.resetDoneNote}</p>
          </div>
        </div>
      </Frame>
    );
  }
  const prompt = step === 'other' ? t.resetEnterOther(t.resetPinNames[other])
    : step === 'new' ? t.resetEnterNew(t.resetPinNames[pin])
    : step === 'confirm' ? t.resetEnterAgain
    : step === 'checking' ? t.verifying : t.resetting;
  return <SecretEntry key={step ?? ''} kind={typing} prompt={prompt} view={view} t={t} send={send} />;
}

/** One entry of a PIN or password, masked; Enter sends it once and forgets it. */
function SecretEntry({ kind, prompt, view, t, send }: Pick<ScreenProps, 'view' | 't' | 'send'> & { kind: ResettablePin | null; prompt: string }) {
  const value = useRef('');
  const [count, setCount] = useState(0);
  const live = useRef({ kind, send });
  live.current = { kind, send };
  const set = (v: string) => {
    value.current = v;
    setCount(v.length);
  };
  useEffect(() => () => {
    value.current = '';
  }, []);
  const press = (k: string) => {
    const form = live.current.kind && FORM[live.current.kind];
    if (form && value.current.length < form.max) set(value.current + k);
  };
  const backspace = () => set(value.current.slice(0, -1));
  const clear = () => set('');
  const enter = () => {
    const form = live.current.kind && FORM[live.current.kind];
    if (!form || !form.complete(value.current)) return;
    live.current.send({ type: 'pin', digits: value.current });
    set('');
  };
  // A hardware keyboard too: digits, and letters where the password is typed.
  useKeyEntry({ takes: (k) => /^[0-9]$/.test(k) || (live.current.kind === 'sign' && /^[A-Z]$/.test(k)), press, backspace, clear, enter });
  const form = kind && FORM[kind];
  const cells = kind === 'sign' ? Math.max(6, count) : 4;
  const tries = view.triesLeft;
  return (
    <Frame view={view} t={t} send={send} title={t.resetTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="pin-enter" disabled={!form || !form.complete(value.current)} onClick={enter}>
          {t.pinEnter}
        </button>
      }>
      <div class={kind === 'sign' ? 'pin-layout pin-layout-wide' : 'pin-layout'}>
        <div class="pin-side">
          <p class="hint" data-testid="reset-prompt">{prompt}</p>
          {kind && <p class="hint" data-testid="reset-form">{t.resetPinForms[kind]}</p>}
          {kind && (
            <div class={kind === 'sign' ? 'pin-display pin-display-long' : 'pin-display'} data-testid="pin-display" data-length={count} role="status" aria-label={t.pinEntered(count)}>
              {Array.from({ length: cells }, (_, i) => (
                <span class={`pin-cell${i < count ? ' filled' : ''}`} aria-hidden="true">{i < count ? '●' : ''}</span>
              ))}
            </div>
          )}
          {view.reset?.mismatch && view.step === 'new' && <p class="tries" role="alert" data-testid="reset-mismatch">{t.resetMismatch}</p>}
          {view.step === 'other' && tries !== null && tries > 0 && (
            <p class="tries" role="alert" data-testid="tries-left" data-tries={tries}>{view.pinWrong && <strong class="tries-wrong" data-testid="pin-wrong">{t.pinWrong}</strong>}{t.triesLeft(tries)}</p>
          )}
          {!kind && (
            <p class="progress" role="status" aria-live="polite" data-testid="pin-progress"><span class="spinner" aria-hidden="true" /> {prompt}</p>
          )}
        </div>
        {kind && (
          <div class={kind === 'sign' ? 'keypad keyboard' : 'keypad'} role="group" aria-label={prompt}>
            {(kind === 'sign' ? [...DIGITS, ...LETTERS] : DIGITS.slice(0, 9)).map((k) => (
              <button type="button" class="key" data-testid={`pin-key-${k}`} onClick={() => press(k)}>{k}</button>
            ))}
            <button type="button" class="key key-fn" data-testid="pin-clear" onClick={clear}>{t.pinClear}</button>
            {kind === 'auth' && <button type="button" class="key" data-testid="pin-key-0" onClick={() => press('0')}>0</button>}
            <button type="button" class="key key-fn" data-testid="pin-backspace" aria-label={t.pinBackspace} onClick={backspace}>
              <span aria-hidden="true">⌫</span>
            </button>
          </div>
        )}
      </div>
    </Frame>
  );
}
