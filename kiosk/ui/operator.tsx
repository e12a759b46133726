// The operator's side of the simulated devices: insert a persona's card, remove it, feed cash, trigger faults, set or
// speed up the clock, and watch the devices, the printed PDFs and the journal. As a full panel at #operator, and as a
// small strip (collapsed by default) at the bottom of the kiosk screen so that one person on one screen can complete
// a journey (neither appears in kiosk mode). Staff tooling: English only, deliberately not localized.
import { useEffect, useState } from 'preact/hooks';
import { COINS_AND_BILLS } from '../../machine/types.ts';
import type { JournalRecord } from '../journal.ts';
import { FAULTS, JOURNAL_PATH, SPOOL_LIST_PATH, type Fault } from '../protocol.ts';
import type { ConnectionState } from './connection.ts';
import { CENTER_ANSWERS, type CenterAnswer } from '../../machine/types.ts';
import { clockText } from './flow.ts';
import type { Send } from './types.ts';

const FAULT_LABELS: Record<Fault, string> = {
  'paper-out': 'Paper out',
  'paper-jam': 'Paper jam',
  'printer-offline': 'Printer offline',
  'printer-online': 'Printer online (clear jam)',
  'paper-refill': 'Refill paper',
  'center-down': 'Center down',
  'center-up': 'Center up',
  'change-empty': 'Empty change tubes',
  'change-refill': 'Refill change tubes',
  'card-garbled': 'Garble next card answer',
  'storage-error': 'Spool storage fails',
  'storage-ok': 'Spool storage fixed',
  'printer-hang': 'Printer hangs (power-cycle: Printer online)',
  'out-of-service': 'Take out of service',
  'resume-service': 'Back in service (after checks)',
};

/**
 * The persona whose card the buttons act on. The choice can live in a parent (`choice`), so that folding the strip,
 * which unmounts this, does not forget it.
 */
function PersonaPicker({ state, send, prefix, choice }: { state: ConnectionState; send: Send; prefix: string; choice?: [string, (id: string) => void] }) {
  const personas = state.hello?.personas ?? [];
  const own = useState('');
  const [persona, setPersona] = choice ?? own;
  const chosen = persona || personas[0]?.id || '';
  return (
    <div class="op-row wrap">
      <label class="op-label" for={`${prefix}-persona`}>Persona</label>
      <select id={`${prefix}-persona`} data-testid={`${prefix}-persona`} value={chosen} onChange={(e) => setPersona((e.currentTarget as HTMLSelectElement).value)}>
        {personas.map((p) => (
          <option value={p.id}>{p.id} — {p.label} ({p.kind})</option>
        ))}
      </select>
      <button type="button" class="op-btn" data-testid={`${prefix}-insert-card`} disabled={!chosen} onClick={() => send({ type: 'operator', action: 'insert-card', persona: chosen })}>
        Insert card
      </button>
      <button type="button" class="op-btn" data-testid={`${prefix}-remove-card`} onClick={() => send({ type: 'operator', action: 'remove-card' })}>
        Remove card
      </button>
      {prefix === 'op' && (
        <>
          <button type="button" class="op-btn" data-testid="op-new-card" disabled={!chosen} title="The persona gets a new card; the next Insert card puts it on the reader"
            onClick={() => send({ type: 'operator', action: 'new-card', persona: chosen })}>
            New card
          </button>
          <button type="button" class="op-btn" data-testid="op-restore-tries" disabled={!chosen} title="Give the persona's card its PIN tries back (recorded as an operator action)"
            onClick={() => send({ type: 'operator', action: 'restore-tries', persona: chosen })}>
            Give PIN tries back
          </button>
        </>
      )}
    </div>
  );
}

/** The card on the reader in a few words: its id in the card store (or its kind), no card, or no device status. */
function readerStatus(reader: NonNullable<ConnectionState['devices']>['reader'] | undefined): string {
  if (!reader) return 'offline';
  return reader.cardPresent ? `card: ${reader.cardId ?? reader.card ?? 'present'}` : 'no card';
}

/**
 * The strip at the bottom of the kiosk screen: collapsed by default, and even then it says which card is on the
 * reader; the persona chosen stays chosen when it is folded and opened again.
 */
export function OperatorStrip({ state, send }: { state: ConnectionState; send: Send }) {
  const [open, setOpen] = useState(false);
  const choice = useState('');
  const status = readerStatus(state.devices?.reader);
  return (
    <div class={`op-strip${open ? ' open' : ''}`} data-testid="operator-strip" lang="en">
      <button type="button" class="op-toggle" data-testid="operator-strip-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▼' : '▲'} Operator{open ? '' : <span class="op-folded-status" data-testid="operator-folded-status"> · {status}</span>}
      </button>
      {open && (
        <>
          <PersonaPicker state={state} send={send} prefix="operator" choice={choice} />
          <span class="op-status" data-testid="operator-card-status">{status}</span>
          <a class="op-link" href="#operator" target="_blank" rel="noopener">full panel</a>
        </>
      )}
    </div>
  );
}

/** JSON from the kiosk server, fetched again whenever `key` changes (the panel passes the device status). */
function useFetched<T>(path: string, key: unknown, initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    let live = true;
    fetch(path, { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((v: T) => live && setValue(v))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path, key]);
  return value;
}

/** The terminal's clock: set it (to try opening hours, the year-end closure), jump ahead (idle timeouts), or speed it up. */
function ClockControls({ state, send }: { state: ConnectionState; send: Send }) {
  const d = state.devices;
  const [time, setTime] = useState('');
  const can = !!d?.clockControl;
  const shown = time || (d ? clockText(d.clock).replace(' ', 'T') + ':00+09:00' : '');
  const op = (m: Parameters<Send>[0]) => () => send(m);
  return (
    <section class="op-section" aria-labelledby="op-clock-title">
      <h2 id="op-clock-title">Clock</h2>
      <p class="op-row">
        <span data-testid="op-clock-now">{d ? `${clockText(d.clock)} JST` : '—'}</span>
        <span data-testid="op-clock-rate">×{d?.clockRate ?? 1}</span>
        {d?.timeoutAt && <span data-testid="op-timeout-at">screen timeout at {clockText(d.timeoutAt).slice(11)}</span>}
        {!can && <span>(this kiosk's clock cannot be steered)</span>}
      </p>
      <div class="op-row">
        <label class="op-label" for="op-clock-time">Set to</label>
        <input id="op-clock-time" data-testid="op-clock-time" value={shown} size={28} onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)} />
        <button type="button" class="op-btn" data-testid="op-clock-set" disabled={!can} onClick={op({ type: 'operator', action: 'clock-set', time: shown })}>Set</button>
      </div>
      <div class="op-row wrap">
        <span class="op-label">Jump ahead</span>
        {[[10, '+10 s'], [60, '+1 min'], [300, '+5 min'], [3600, '+1 h']].map(([s, label]) => (
          <button type="button" class="op-btn" data-testid={`op-clock-advance-${s}`} disabled={!can} onClick={op({ type: 'operator', action: 'clock-advance', seconds: s as number })}>{label}</button>
        ))}
      </div>
      <div class="op-row wrap">
        <span class="op-label">Speed</span>
        {[1, 10, 60].map((r) => (
          <button type="button" class={`op-btn${(d?.clockRate ?? 1) === r ? ' on' : ''}`} aria-pressed={(d?.clockRate ?? 1) === r} data-testid={`op-clock-rate-${r}`} disabled={!can} onClick={op({ type: 'operator', action: 'clock-rate', rate: r })}>×{r}</button>
        ))}
      </div>
    </section>
  );
}

/** The center's answer to the next request: normal, or one chosen failure (center/scripted-center.ts). */
function CenterNext({ state, send }: { state: ConnectionState; send: Send }) {
  const next = state.devices?.centerNext ?? 'normal';
  return (
    <section class="op-section" aria-labelledby="op-center-title">
      <h2 id="op-center-title">Center: next answer</h2>
      <div class="op-row wrap">
        <select aria-label="The center's answer to the next request" data-testid="op-center-next" value={next}
          onChange={(e) => send({ type: 'operator', action: 'center-next', answer: (e.currentTarget as HTMLSelectElement).value as CenterAnswer })}>
          {CENTER_ANSWERS.map((a) => <option value={a}>{a}</option>)}
        </select>
        <span class="op-note">once, then normal again</span>
      </div>
    </section>
  );
}

/** Every PDF in the spool folder (newest last) and the journal's latest records. */
function Records({ state }: { state: ConnectionState }) {
  const d = state.devices;
  const pdfs = useFetched<string[]>(SPOOL_LIST_PATH, d, []);
  const journal = useFetched<JournalRecord[]>(JOURNAL_PATH, d, []);
  const recent = journal.slice(-40).reverse();
  return (
    <>
      <section class="op-section" aria-labelledby="op-pdfs-title">
        <h2 id="op-pdfs-title">Printed PDFs ({pdfs.length})</h2>
        <ul class="op-list" data-testid="op-pdfs" data-count={pdfs.length}>
          {pdfs.map((f) => <li><a class="op-doc" href={`spool/${encodeURIComponent(f)}`} target="_blank" rel="noopener">{f}</a></li>)}
        </ul>
      </section>
      <section class="op-section" aria-labelledby="op-journal-title">
        <h2 id="op-journal-title">Journal ({journal.length} records, newest first)</h2>
        <table class="op-journal" data-testid="op-journal" data-count={journal.length}>
          <thead><tr><th scope="col">#</th><th scope="col">time (JST)</th><th scope="col">fact</th><th scope="col">details</th></tr></thead>
          <tbody>
            {recent.map((r) => {
              const { seq, at, session, type, ...rest } = r;
              void session;
              return (
                <tr data-type={type}>
                  <td>{seq}</td><td>{clockText(at).slice(11)}</td><td>{type}</td>
                  <td>{Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v.split('/').pop() : JSON.stringify(v)}`).join('  ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}

export function OperatorPanel({ state, send }: { state: ConnectionState; send: Send }) {
  const [yen, setYen] = useState('1000');
  const v = state.view;
  const d = state.devices;
  return (
    <div class="op-panel" lang="en" data-screen="operator">
      <header class="op-head">
        <h1>Kiosk operator panel</h1>
        <span class="op-note">staff tooling, English only</span>
        <span class={`op-conn ${state.status}`} data-testid="op-connection">{state.status}</span>
        <a class="op-link" href="#" data-testid="op-open-kiosk">kiosk screen</a>
      </header>
      {state.error && <p class="op-error" role="alert">{state.error}</p>}

      <section class="op-section" aria-labelledby="op-session">
        <h2 id="op-session">Session</h2>
        {v ? (
          <dl class="op-grid" data-testid="op-view">
            <dt>screen</dt><dd data-testid="op-screen">{v.screen}{v.step ? ` / ${v.step}` : ''}</dd>
            <dt>language</dt><dd>{v.language}</dd>
            <dt>warning</dt><dd>{v.warning ? 'shown' : '—'}</dd>
            <dt>notice</dt><dd>{v.notice ? `${v.notice.kind}: ${v.notice.kind === 'not-simulated' ? v.notice.service : v.notice.reason}` : '—'}</dd>
            <dt>reason</dt><dd>{v.reason ?? '—'}</dd>
            <dt>holder</dt><dd>{v.holder?.name ?? '—'}</dd>
            <dt>city</dt><dd>{v.city ? `${v.city.name} (${v.city.code})` : '—'}</dd>
            <dt>request</dt><dd>{v.request.certificate ? `${v.request.certificate} × ${v.request.copies}` : '—'}</dd>
            <dt>due / inserted</dt><dd>{v.due} / {v.inserted} yen</dd>
            <dt>printed</dt><dd>{v.printed}</dd>
            <dt>payout</dt><dd>{v.payout ? `change ${v.payout.change}, refunded ${v.payout.refunded}${v.payout.failed ? ', FAILED' : ''}` : '—'}</dd>
          </dl>
        ) : (
          <p>waiting for the kiosk…</p>
        )}
      </section>

      <section class="op-section" aria-labelledby="op-card">
        <h2 id="op-card">Card reader</h2>
        <PersonaPicker state={state} send={send} prefix="op" />
      </section>

      <section class="op-section" aria-labelledby="op-cash">
        <h2 id="op-cash">Cash</h2>
        <div class="op-row">
          {COINS_AND_BILLS.map((y) => (
            <button type="button" class="op-btn" data-testid={`op-cash-${y}`} onClick={() => send({ type: 'operator', action: 'insert-cash', yen: y })}>
              {y}
            </button>
          ))}
        </div>
        <div class="op-row">
          <label class="op-label" for="op-yen">Any amount</label>
          <input id="op-yen" data-testid="op-cash-amount" type="number" min="1" step="1" value={yen} onInput={(e) => setYen((e.currentTarget as HTMLInputElement).value)} />
          <button type="button" class="op-btn" data-testid="op-cash-insert" disabled={!(Number(yen) > 0)} onClick={() => send({ type: 'operator', action: 'insert-cash', yen: Math.round(Number(yen)) })}>
            Insert
          </button>
        </div>
      </section>

      <section class="op-section" aria-labelledby="op-faults">
        <h2 id="op-faults">Faults</h2>
        <div class="op-row wrap">
          {FAULTS.map((f) => (
            <button type="button" class="op-btn" data-testid={`op-fault-${f}`} onClick={() => send({ type: 'operator', action: 'fault', fault: f })}>
              {FAULT_LABELS[f]}
            </button>
          ))}
        </div>
      </section>

      <ClockControls state={state} send={send} />
      <CenterNext state={state} send={send} />

      <section class="op-section" aria-labelledby="op-devices">
        <h2 id="op-devices">Devices</h2>
        {d ? (
          <dl class="op-grid" data-testid="op-status">
            {d.outOfOrder && (
              <>
                <dt>OUT OF ORDER</dt>
                <dd data-testid="op-out-of-order">{d.outOfOrder}: fix it, then press “Back in service”</dd>
              </>
            )}
            <dt>clock (JST)</dt><dd data-testid="op-clock">{clockText(d.clock)}</dd>
            <dt>reader</dt>
            <dd data-testid="op-reader">
              {d.reader.name}: {d.reader.cardPresent ? `card present (${d.reader.cardId ?? d.reader.card ?? '?'})` : 'no card'}
              {v?.screen === 'take-card' && <strong data-testid="op-card-forgotten"> — left on the reader after the session: the kiosk asks for it back</strong>}
              {d.reader.pins && `, PIN tries left: ${Object.entries(d.reader.pins).map(([pin, n]) => `${pin} ${n === 0 ? 'LOCKED' : n}`).join(', ')}`}
            </dd>
            <dt>printer</dt>
            <dd data-testid="op-printer">
              {d.printer.online ? 'online' : 'OFFLINE'}, paper {d.printer.paper}{d.printer.jammed ? ', JAMMED' : ''}, {d.printer.sheetsPrinted} sheets printed
            </dd>
            <dt>center</dt><dd data-testid="op-center">{d.centerOnline ? 'online' : 'DOWN'}</dd>
            <dt>cash box</dt>
            <dd data-testid="op-cash-status">
              {d.cash.accepting ? 'accepting' : 'not accepting'}, escrow {d.cash.escrow} yen
              <table class="op-tubes">
                <thead><tr>{Object.keys(d.cash.tubes).map((k) => <th scope="col">{k}</th>)}</tr></thead>
                <tbody><tr>{Object.values(d.cash.tubes).map((n) => <td>{n}</td>)}</tr></tbody>
              </table>
            </dd>
            {d.recovery && (
              <>
                <dt>after a crash</dt>
                <dd data-testid="op-recovery">
                  the restart settled an interrupted purchase: {d.recovery.printed} of {d.recovery.copies} copies printed,
                  {' '}{d.recovery.returned} yen returned{d.recovery.owed ? `, ${d.recovery.owed} yen owed on a refund slip` : ''} (journal: recovered)
                </dd>
              </>
            )}
            <dt>last issuance</dt>
            <dd>
              {d.documents.length ? d.documents.map((u) => <a class="op-doc" href={u} target="_blank" rel="noopener">{u.split('/').pop()}</a>) : '—'}
            </dd>
          </dl>
        ) : (
          <p>no device status yet</p>
        )}
      </section>

      <Records state={state} />
    </div>
  );
}
