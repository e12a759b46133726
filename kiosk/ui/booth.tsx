// The photo booth's touch screen (#booth), in Japanese and English: it reads the booth's view from /api/v1/booth/view
// and sends taps, nothing more (the machine decides). Below the screen, outside kiosk mode, the operator's strip holds
// the simulated devices: coins, a form held to the scanner, who stands before the camera. Loaded only on #booth.
import { useEffect, useRef, useState } from 'preact/hooks';
import { BOOTH_FAULTS, type BoothView } from '../booth/booth-view.ts';
import type { BoothUiEvent } from '../../machine/booth/types.ts';

type Lang = 'ja' | 'en';
const API = '/api/v1/booth';

const W = {
  ja: {
    title: '証明写真機', apply: '個人番号カード申請', applySub: 'マイナンバーカードの申請（写真撮影つき）', others: ['証明写真', 'パスポート用写真'], notHere: 'この画面では準備中です',
    pay: (fee: number) => `写真代 ${fee.toLocaleString()}円を入れてください`, inserted: (n: number) => `投入金額 ${n.toLocaleString()}円`,
    scan: '申請書のQRコードを読み取り部にかざしてください', checking: '申請書を確認しています…', notAForm: '読み取ったコードは交付申請書のものではありません。申請書のQRコードをかざしてください。',
    birth: '生年月日を入力してください', birthWrong: (n: number) => `生年月日が申請書と一致しません（あと${n}回）`, year: '年', month: '月', day: '日', next: '次へ',
    options: '電子証明書と点字表記', certificates: '電子証明書の発行を希望する', braille: '氏名の点字表記を希望する',
    photo: '顔写真を撮影します', photoHint: '正面を向き、帽子をとってください。背景は無地です。', shoot: '撮影する', countdown: '撮影します', review: 'この写真でよろしいですか',
    checks: { face: '顔が写っている', centred: '顔が枠の中央にある', lit: '明るさが適切', plainBackground: '背景が無地' }, accept: 'この写真で申請する', retake: '撮り直す', retakesLeft: (n: number) => `撮り直しはあと${n}回`,
    confirm: '申請内容の確認', send: '申請する', sending: '送信しています…', done: '申請を受け付けました', arrives: (d: string) => `カードは${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日ごろ市区町村の窓口に届きます。交付通知書が届いたら受け取りに行ってください。`,
    slip: '申請受付票をお取りください', slipFailed: '申請受付票を印刷できませんでした。係員にお知らせください（申請は受け付けられています）。', change: (n: number) => `おつり ${n.toLocaleString()}円`,
    owed: (n: number) => `${n.toLocaleString()}円をお返しできませんでした。係員にお知らせください。`, returned: '投入されたお金をお返しします。',
    cancelled: '申請を取りやめました', timeout: '操作がなかったため終了しました', refused: '申請できません',
    reasons: {
      'form-unknown': 'この申請書は登録されていません。市区町村にお問い合わせください。',
      'form-used': 'この申請書ではすでに申請されています。', 'form-outdated': '申請書の氏名または住所が変わっています。新しい申請書を市区町村で受け取ってください。',
      'not-resident': '住民登録が確認できません。市区町村にお問い合わせください。', 'application-pending': '前回の申請のカードを作成中です。',
      'birth-date-mismatch': '生年月日が一致しませんでした。', 'photo-rejected': '規定に合う写真を撮影できませんでした。',
      'center-unreachable': '申請を送信できませんでした。時間をおいてお試しください。', 'device-failed': '機器の故障のため申請できません。',
    } as Record<string, string>,
    outOfService: 'ただいま使用できません', cancel: 'やめる', back: '戻る', top: 'はじめの画面へ', continue: '続ける', warning: 'まだ操作しますか？',
    yes: 'はい', no: 'いいえ', form: '申請書ID', birthDate: '生年月日',
  },
  en: {
    title: 'ID photo booth', apply: 'My Number Card application', applySub: 'Apply for the card (photo included)', others: ['ID photo', 'Passport photo'], notHere: 'Not available on this screen',
    pay: (fee: number) => `Insert ${fee.toLocaleString()} yen for the photograph`, inserted: (n: number) => `Inserted: ${n.toLocaleString()} yen`,
    scan: "Hold the application form's QR code to the reader", checking: 'Checking the form…', notAForm: "That code is not an application form's. Hold the form's QR code to the reader.",
    birth: 'Enter your date of birth', birthWrong: (n: number) => `The date of birth does not match the form (${n} more tries)`, year: 'Year', month: 'Month', day: 'Day', next: 'Next',
    options: 'Certificates and Braille', certificates: 'Issue the electronic certificates', braille: 'Put my name in Braille on the card',
    photo: 'Your photograph', photoHint: 'Face the camera, no hat, in front of a plain background.', shoot: 'Take the photo', countdown: 'Taking the photo', review: 'Use this photograph?',
    checks: { face: 'A face is in the picture', centred: 'The face is centred', lit: 'The light is right', plainBackground: 'The background is plain' }, accept: 'Apply with this photo', retake: 'Take it again', retakesLeft: (n: number) => `${n} more tries`,
    confirm: 'Check your application', send: 'Send the application', sending: 'Sending…', done: 'Your application was received', arrives: (d: string) => `The card reaches your municipal office around ${d}. Collect it when the notice arrives.`,
    slip: 'Take your application slip', slipFailed: 'The slip could not be printed. Please tell the staff (your application was received).', change: (n: number) => `Change: ${n.toLocaleString()} yen`,
    owed: (n: number) => `${n.toLocaleString()} yen could not be returned. Please tell the staff.`, returned: 'Your money is returned.',
    cancelled: 'The application was cancelled', timeout: 'Ended: nothing was touched for a while', refused: 'The application cannot be made',
    reasons: {
      'form-unknown': 'This form is not registered. Please ask your municipality.',
      'form-used': 'An application was already sent with this form.', 'form-outdated': 'The name or address on this form has changed. Get a new form from your municipality.',
      'not-resident': 'Your resident registration could not be confirmed.', 'application-pending': 'The card of your earlier application is being made.',
      'birth-date-mismatch': 'The date of birth did not match.', 'photo-rejected': 'No photograph met the rules.',
      'center-unreachable': 'The application could not be sent. Please try again later.', 'device-failed': 'A device failed: no application can be made.',
    } as Record<string, string>,
    outOfService: 'Out of service', cancel: 'Cancel', back: 'Back', top: 'Back to the start', continue: 'Continue', warning: 'Are you still there?',
    yes: 'Yes', no: 'No', form: 'Form ID', birthDate: 'Date of birth',
  },
};

async function call(path: string, body?: unknown): Promise<BoothView> {
  const res = await fetch(`${API}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return (json.view ?? json) as BoothView;
}

export function BoothScreen({ kioskMode }: { kioskMode: boolean }) {
  const [view, setView] = useState<BoothView | null>(null);
  const [lang, setLang] = useState<Lang>('ja');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // The view changes without a tap too (the center's answer, a timeout, the operator's coin): the booth pushes each
    // change on its WebSocket; a screen that loses it reads the view and connects again a second later.
    let ws: WebSocket | null = null;
    let again = 0;
    let stopped = false;
    const connect = () => {
      ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${API}/ws`);
      ws.onmessage = (m) => setView(JSON.parse(String(m.data)) as BoothView);
      ws.onclose = () => {
        if (stopped) return;
        void call('/view').then(setView, (e: Error) => setError(e.message));
        again = window.setTimeout(connect, 1000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(again);
      ws?.close();
    };
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const tap = (event: BoothUiEvent) => call('/tap', { event }).then(setView, (e: Error) => setError(e.message));
  const t = W[lang];
  if (!view) return <main class="booth booth-waiting"><p>{error ?? '…'}</p></main>;
  return (
    <div class="booth-holder">
      <main class="booth" data-screen={view.screen} data-step={view.step ?? ''}>
        <header class="booth-header">
          <h1>{t.title}</h1>
          <div class="booth-langs">
            {(['ja', 'en'] as const).map((l) => <button type="button" class={`btn btn-small${l === lang ? ' selected' : ''}`} data-testid={`lang-${l}`} onClick={() => setLang(l)}>{l === 'ja' ? '日本語' : 'English'}</button>)}
          </div>
        </header>
        <section class="booth-body"><Body view={view} t={t} tap={tap} /></section>
        {view.warning && (
          <div class="booth-warning" role="alertdialog"><p class="lead">{t.warning}</p><button type="button" class="btn btn-primary" data-testid="continue" onClick={() => tap({ type: 'ui.continue' })}>{t.continue}</button></div>
        )}
      </main>
      {!kioskMode && <OperatorStrip view={view} onChange={setView} />}
    </div>
  );
}

type Words = (typeof W)['ja'];

function Body({ view, t, tap }: { view: BoothView; t: Words; tap: (e: BoothUiEvent) => void }) {
  const cancel = <button type="button" class="btn btn-cancel" data-testid="cancel" onClick={() => tap({ type: 'ui.cancel' })}>{t.cancel}</button>;
  switch (view.screen) {
    case 'top':
      return (
        <div class="booth-menu">
          <button type="button" class="choice choice-main" data-testid="apply" onClick={() => tap({ type: 'ui.start' })}>
            <span class="choice-label">{t.apply}</span><span class="choice-sub">{t.applySub}</span>
          </button>
          {t.others.map((o) => <button type="button" class="choice" disabled><span class="choice-label">{o}</span><span class="choice-sub">{t.notHere}</span></button>)}
        </div>
      );
    case 'payment':
      return (
        <div class="booth-step">
          <p class="lead" data-testid="pay">{t.pay(view.fee)}</p>
          <p class="booth-amount" data-testid="inserted">{t.inserted(view.inserted)}</p>
          <div class="booth-actions">{cancel}</div>
        </div>
      );
    case 'scan':
      return (
        <div class="booth-step">
          <WedgeScanner active={view.step === 'reading'} />
          {view.camera === 'browser' && view.step === 'reading' && <CameraScanner />}
          <p class="lead">{view.step === 'checking' ? t.checking : t.scan}</p>
          {view.notice === 'not-a-form' && <p class="booth-alert" role="alert" data-testid="not-a-form">{t.notAForm}</p>}
          <div class="booth-qr-target" aria-hidden="true" />
          <div class="booth-actions">{cancel}</div>
        </div>
      );
    case 'birth-date':
      return <BirthDate view={view} t={t} tap={tap} cancel={cancel} />;
    case 'options':
      return <Options t={t} tap={tap} cancel={cancel} initial={view.options} />;
    case 'photo':
      return <PhotoStep view={view} t={t} tap={tap} cancel={cancel} />;
    case 'confirm':
      return (
        <div class="booth-step">
          <p class="lead">{view.step === 'sending' ? t.sending : t.confirm}</p>
          {view.photo && <img class="booth-photo small" src={view.photo.png} alt="" />}
          <dl class="booth-summary">
            <dt>{t.certificates}</dt><dd>{view.options.certificates ? t.yes : t.no}</dd>
            <dt>{t.braille}</dt><dd>{view.options.braille ? t.yes : t.no}</dd>
          </dl>
          <div class="booth-actions">
            {cancel}
            <button type="button" class="btn btn-back" data-testid="back" disabled={view.step === 'sending'} onClick={() => tap({ type: 'ui.back' })}>{t.back}</button>
            <button type="button" class="btn btn-primary" data-testid="send" disabled={view.step === 'sending'} onClick={() => tap({ type: 'ui.confirm' })}>{t.send}</button>
          </div>
        </div>
      );
    case 'done':
      return (
        <div class="booth-step">
          <p class="lead" data-testid="done">{t.done}</p>
          {view.application && <p data-testid="arrives">{t.arrives(view.application.arrivesOn)}</p>}
          <p>{view.notice === 'slip-not-printed' ? t.slipFailed : t.slip}</p>
          {view.inserted > view.fee && <p data-testid="change">{t.change(view.inserted - view.fee)}</p>}
          {view.owed > 0 && <p class="booth-alert" role="alert">{t.owed(view.owed)}</p>}
          <div class="booth-actions"><button type="button" class="btn btn-primary" data-testid="top" onClick={() => tap({ type: 'ui.done' })}>{t.top}</button></div>
        </div>
      );
    default: {
      const title = view.screen === 'out-of-service' ? t.outOfService : view.reason === 'cancelled' ? t.cancelled : view.reason === 'timeout' ? t.timeout : t.refused;
      return (
        <div class="booth-step">
          <p class={`lead${view.screen === 'refused' ? ' booth-refused' : ''}`} data-testid="end" data-reason={view.reason ?? ''}>{title}</p>
          {view.reason && t.reasons[view.reason] && <p>{t.reasons[view.reason]}</p>}
          {view.inserted > 0 && <p data-testid="returned">{t.returned}</p>}
          {view.owed > 0 && <p class="booth-alert" role="alert">{t.owed(view.owed)}</p>}
          <div class="booth-actions"><button type="button" class="btn btn-primary" data-testid="top" onClick={() => tap({ type: 'ui.done' })}>{t.top}</button></div>
        </div>
      );
    }
  }
}

/**
 * A keyboard-wedge barcode scanner (the real device most booths carry): it types what the code holds and Enter. While
 * the booth reads, keystrokes outside a text field are gathered and sent as one scan; a human typing is slower than a
 * scanner, but nothing depends on the speed.
 */
function WedgeScanner({ active }: { active: boolean }) {
  useEffect(() => {
    if (!active) return;
    let typed = '';
    const on = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.closest?.('input, select, textarea')) return;
      if (e.key === 'Enter') {
        if (typed) void fetch(`${API}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: typed.slice(0, 512) }) });
        typed = '';
      } else if (e.key.length === 1) {
        typed += e.key;
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [active]);
  return null;
}

/**
 * The QR code read by the screen's camera (a booth started with `--camera browser`): the live picture, decoded a few
 * times a second with jsQR (loaded when this scanner first shows); what it reads goes to the booth as one scan, as the wedge scanner's does.
 */
function CameraScanner() {
  const { video } = useCameraStream(true);
  useEffect(() => {
    let sent = '';
    const canvas = document.createElement('canvas');
    // jsQR (about 40 KB gzip) is fetched only by a booth whose screen's camera reads the form: a chunk of its own.
    let decode: ((data: Uint8ClampedArray, width: number, height: number) => { data: string } | null) | null = null;
    void import('jsqr').then((m) => (decode = m.default));
    const tick = window.setInterval(() => {
      const v = video.current;
      if (!decode) return;
      if (!v || !v.videoWidth) return;
      const scale = Math.min(1, 640 / v.videoWidth);
      canvas.width = Math.round(v.videoWidth * scale);
      canvas.height = Math.round(v.videoHeight * scale);
      const g = canvas.getContext('2d', { willReadFrequently: true })!;
      g.drawImage(v, 0, 0, canvas.width, canvas.height);
      const found = decode(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      if (found?.data && found.data !== sent) {
        sent = found.data;
        void fetch(`${API}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: found.data.slice(0, 512) }) });
      }
    }, 250);
    return () => clearInterval(tick);
  }, []);
  return <video ref={video} class="booth-qr-live" muted playsInline data-testid="qr-live" />;
}

function BirthDate({ view, t, tap, cancel }: { view: BoothView; t: Words; tap: (e: BoothUiEvent) => void; cancel: preact.JSX.Element }) {
  const [y, setY] = useState('');
  const [m, setM] = useState('');
  const [d, setD] = useState('');
  const valid = /^\d{4}$/.test(y) && +m >= 1 && +m <= 12 && +d >= 1 && +d <= 31;
  const field = (label: string, value: string, set: (v: string) => void, max: number, id: string) => (
    <label class="booth-date-field">{label}<input inputMode="numeric" data-testid={id} value={value} maxLength={max} onInput={(e) => set((e.target as HTMLInputElement).value.replace(/\D/g, ''))} /></label>
  );
  return (
    <div class="booth-step">
      <p class="lead">{view.step === 'checking' ? t.checking : t.birth}</p>
      {view.birthDateWrong && <p class="booth-alert" role="alert" data-testid="birth-wrong">{t.birthWrong(view.birthDateTriesLeft)}</p>}
      <div class="booth-date">{field(t.year, y, setY, 4, 'year')}{field(t.month, m, setM, 2, 'month')}{field(t.day, d, setD, 2, 'day')}</div>
      <div class="booth-actions">
        {cancel}
        <button type="button" class="btn btn-primary" data-testid="next" disabled={!valid || view.step === 'checking'}
          onClick={() => tap({ type: 'ui.enterBirthDate', birthDate: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` })}>{t.next}</button>
      </div>
    </div>
  );
}

function Options({ t, tap, cancel, initial }: { t: Words; tap: (e: BoothUiEvent) => void; cancel: preact.JSX.Element; initial: BoothView['options'] }) {
  const [certificates, setCertificates] = useState(initial.certificates);
  const [braille, setBraille] = useState(initial.braille);
  const toggle = (on: boolean, set: (v: boolean) => void, label: string, id: string) => (
    <button type="button" class={`choice${on ? ' selected' : ''}`} aria-pressed={on} data-testid={id} onClick={() => set(!on)}>
      <span class="choice-label">{on ? '☑' : '☐'} {label}</span>
    </button>
  );
  return (
    <div class="booth-step">
      <p class="lead">{t.options}</p>
      <div class="booth-menu">{toggle(certificates, setCertificates, t.certificates, 'certificates')}{toggle(braille, setBraille, t.braille, 'braille')}</div>
      <div class="booth-actions">{cancel}<button type="button" class="btn btn-primary" data-testid="next" onClick={() => tap({ type: 'ui.setOptions', certificates, braille })}>{t.next}</button></div>
    </div>
  );
}

/** The photo's frame as the booth measures it: 3.5 × 4.5 (photo-booth.md §6), 210 × 270 pixels. */
const FRAME = { width: 210, height: 270 };

/**
 * The browser's camera for a booth started with `--camera browser`: a live picture in the frame, and, when the booth
 * takes the photo (step capturing), the frame cropped to 3.5 × 4.5 and sent as RGB pixels (POST /api/v1/booth/photo).
 */
/** The screen's camera, live in `video` while `on`; stopped when off. `problem`: why the browser gave none. */
function useCameraStream(on: boolean) {
  const video = useRef<HTMLVideoElement | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null;
    navigator.mediaDevices?.getUserMedia({ video: true, audio: false }).then((s) => {
      stream = s;
      if (video.current) {
        video.current.srcObject = s;
        void video.current.play();
      }
    }, (e: Error) => setProblem(e.message));
    return () => stream?.getTracks().forEach((tr) => tr.stop());
  }, [on]);
  return { video, problem };
}

function useBrowserCamera(on: boolean, capturing: boolean) {
  const { video, problem } = useCameraStream(on);
  useEffect(() => {
    const v = video.current;
    if (!on || !capturing || !v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = FRAME.width;
    canvas.height = FRAME.height;
    const aspect = FRAME.width / FRAME.height;
    const [vw, vh] = [v.videoWidth, v.videoHeight];
    const [sw, sh] = vw / vh > aspect ? [vh * aspect, vh] : [vw, vw / aspect];
    const g = canvas.getContext('2d')!;
    g.drawImage(v, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, FRAME.width, FRAME.height);
    const rgba = g.getImageData(0, 0, FRAME.width, FRAME.height).data;
    let binary = '';
    for (let i = 0; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i], rgba[i + 1], rgba[i + 2]);
    void fetch(`${API}/photo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...FRAME, rgb: btoa(binary) }) });
  }, [on, capturing]);
  return { video, problem };
}

function PhotoStep({ view, t, tap, cancel }: { view: BoothView; t: Words; tap: (e: BoothUiEvent) => void; cancel: preact.JSX.Element }) {
  const [count, setCount] = useState<number | null>(null);
  const timer = useRef<number | null>(null);
  const camera = useBrowserCamera(view.camera === 'browser' && view.step !== 'review', view.step === 'capturing');
  useEffect(() => () => {
    if (timer.current) clearInterval(timer.current);
  }, []);
  // A countdown of 3 before the shot, as booths do; the camera is asked once it reaches 0.
  const shoot = () => {
    setCount(3);
    let n = 3;
    timer.current = window.setInterval(() => {
      n--;
      setCount(n);
      if (n === 0) {
        clearInterval(timer.current!);
        timer.current = null;
        setCount(null);
        tap({ type: 'ui.takePhoto' });
      }
    }, 400);
  };
  if (view.step === 'review' && view.photo) {
    const passes = Object.values(view.photo.checks).every(Boolean);
    return (
      <div class="booth-step booth-review">
        <img class="booth-photo" src={view.photo.png} alt="" data-testid="photo" />
        <div>
          <p class="lead">{t.review}</p>
          <ul class="booth-checks">
            {(Object.keys(t.checks) as Array<keyof Words['checks']>).map((k) => (
              <li class={view.photo!.checks[k] ? 'ok' : 'ng'} data-testid={`check-${k}`} data-ok={String(view.photo!.checks[k])}>{view.photo!.checks[k] ? '✓' : '✗'} {t.checks[k]}</li>
            ))}
          </ul>
          <p>{t.retakesLeft(view.photoTriesLeft)}</p>
          <div class="booth-actions">
            {cancel}
            <button type="button" class="btn btn-back" data-testid="retake" onClick={() => tap({ type: 'ui.retakePhoto' })}>{t.retake}</button>
            <button type="button" class="btn btn-primary" data-testid="accept" disabled={!passes} onClick={() => tap({ type: 'ui.acceptPhoto' })}>{t.accept}</button>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div class="booth-step">
      <p class="lead">{t.photo}</p>
      <p>{t.photoHint}</p>
      <div class="booth-frame" aria-live="polite">
        {view.camera === 'browser' && <video ref={camera.video} class="booth-live" muted playsInline data-testid="live" />}
        {count !== null ? <span class="booth-count" data-testid="countdown">{count || ''}</span> : view.step === 'capturing' ? '…' : ''}
      </div>
      {camera.problem && <p class="booth-alert" role="alert">{camera.problem}</p>}
      <div class="booth-actions">{cancel}<button type="button" class="btn btn-primary" data-testid="shoot" disabled={count !== null || view.step !== 'ready'} onClick={shoot}>{t.shoot}</button></div>
    </div>
  );
}

/** The operator's hands on the simulated devices (English, as the konbini kiosk's operator panel). */
function OperatorStrip({ view, onChange }: { view: BoothView; onChange: (v: BoothView) => void }) {
  const [form, setForm] = useState('');
  const [said, setSaid] = useState('');
  const [devices, setDevices] = useState<null | { outOfOrder: string | null; cashBox: { escrow: number }; counters: { accepted: number; returned: number; paidOut: number }; paperOut: boolean; slips: number }>(null);
  useEffect(() => {
    void fetch(`${API}/devices`).then((r) => r.json()).then(setDevices, () => {});
  }, [view]);
  const act = (path: string, body: unknown) => call(path, body).then(onChange, (e: Error) => setSaid(e.message));
  return (
    <aside class="booth-operator" aria-label="operator">
      <span>Operator · {view.screen}{view.step ? ` / ${view.step}` : ''}</span>
      {[100, 500, 1000, 5000].map((yen) => <button type="button" data-testid={`cash-${yen}`} onClick={() => void act('/cash', { yen })}>¥{yen}</button>)}
      <input data-testid="form-text" placeholder="form ID or QR text" value={form} onInput={(e) => setForm((e.target as HTMLInputElement).value)} />
      <button type="button" data-testid="scan" onClick={() => void act('/scan', { text: form })}>hold to scanner</button>
      <select data-testid="pose" onChange={(e) => void act('/pose', { subject: (e.target as HTMLSelectElement).value })}>
        {['good', 'dark', 'off-centre', 'busy-background', 'nobody'].map((s) => <option value={s}>{s}</option>)}
      </select>
      <select data-testid="fault" onChange={(e) => { const f = (e.target as HTMLSelectElement).value; if (f) void act('/fault', { fault: f }); (e.target as HTMLSelectElement).value = ''; }}>
        <option value="">fault…</option>
        {BOOTH_FAULTS.map((f) => <option value={f}>{f}</option>)}
      </select>
      {devices && <span data-testid="devices">{devices.outOfOrder ? `OUT OF ORDER (${devices.outOfOrder}) · ` : ''}escrow ¥{devices.cashBox.escrow} · fees kept ¥{devices.counters.accepted - devices.counters.returned - devices.counters.paidOut - devices.cashBox.escrow} · returned ¥{devices.counters.returned + devices.counters.paidOut}{devices.paperOut ? ' · PAPER OUT' : ''} · slips {devices.slips}</span>}
      {said && <span class="booth-said">{said}</span>}
    </aside>
  );
}
