// The ward-office counter's screen (窓口端末, #counter), in Japanese as a clerk's is: look a card up, see what the
// card and the center hold of it, and perform an event of its life (kiosk/counter/counter.ts). It speaks the control
// API (/api/v1/counter/VERB) and nothing else; a PIN typed here goes once into that request and the field is emptied.
// Loaded only when the route is #counter: the kiosk's own screens never carry it.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { CounterStatus, CounterVerb } from '../counter/counter.ts';

const CARD_STATUS: Record<string, string> = { active: '有効', suspended: '一時停止中', abolished: '廃止' };
const CERT_STATUS: Record<string, string> = { good: '有効', hold: '一時保留', revoked: '失効', expired: '有効期限切れ' };
const REASON: Record<string, string> = {
  lost: '紛失', 'suspension-cancelled': '一時停止の解除', renewed: '更新', reissued: '再交付', 'address-changed': '住所変更',
  'name-changed': '氏名変更', moved: '転出', deceased: '死亡', returned: '返納',
  'late-move-in': '転入届の期限切れ', 'not-continued': '継続利用の手続なし',
};
const ACTION: Record<string, string> = {
  'reset-pin': '暗証番号の初期化', 'change-pin': '暗証番号の変更', 'proxy-applied': '代理人による初期化の申請（照会書を郵送）',
  'report-lost': '一時停止（紛失の届出）', 'cancel-suspension': '一時停止の解除', reissue: '再交付', issued: '新しいカードの交付',
  renew: '電子証明書の更新', 'issue-certificates': '電子証明書の発行', 'change-address': '住所変更（転居）', 'move-out': '転出届', death: '死亡届',
  'change-name': '氏名変更', 'register-domicile': '戸籍証明書交付の利用登録', 'return-card': 'カードの返納',
  'move-in': '転入届', 'continue-card': '継続利用', apply: 'カードの交付申請', collect: 'カードの交付（暗証番号の設定・電子証明書の発行）',
  'card-arrived': 'カードの到着（J-LIS から）',
};
const REFUSAL: Record<string, string> = {
  'counter-outside-hours': '受付時間外です。', 'counter-weekend': '本日は閉庁日です。', 'counter-holiday': '祝日のため閉庁しています。',
  'counter-year-end': '年末年始のため閉庁しています。', 'card-suspended': 'このカードは一時停止中です。先に一時停止の解除が必要です。',
  'card-abolished': 'このカードは廃止されています。', 'too-early': '更新の受付は有効期限の3か月前からです。', 'pin-locked': '暗証番号がロックされています。初期化してください。',
  'bad-new-pin': '新しい暗証番号の形式が正しくありません。', 'no-inquiry': '照会書兼回答書が発送されていません。先に代理人の申請を受け付けてください。',
  'not-a-representative': '法定代理人が手続きできるのは、15歳未満の方と成年被後見人の方の暗証番号だけです。', 'no-card': 'カードが見つかりません。',
  'has-certificate': '有効な電子証明書があります。更新は有効期限の3か月前からです。', deceased: '死亡により廃止されたカードです。',
  'other-city': '他の市区町村への転出は、転出届と転入先での手続きになります。', 'not-a-resident': '住民登録のないカードです。',
  'same-city': '本籍地とお住まいが同じ市区町村のため、利用登録は不要です。', 'no-family-register': '戸籍の記録がありません。',
  'city-not-participating': '本籍地の市区町村がコンビニ交付に参加していません。', 'no-certificate': '有効な利用者証明用電子証明書がありません。',
  'bad-name': '新しい氏名を入力してください（40文字まで）。',
  'not-moved-out': '転出届が出されていません。先に転出元で転出届が必要です。', 'not-another-city': '同じ市区町村内の移動は住所変更（転居）です。',
  'unknown-city': '転入先の市区町村が見つかりません。', 'bad-address': '新しい住所を入力してください（200文字まで）。',
  'late-move-in': '転出から14日を過ぎています。転出証明書による転入となり、カードは失効しました（再交付が必要です）。',
  'moved-out': 'すでに転出届が出されています。転入先で転入届をしてください。',
  'not-pending': '継続利用の手続が必要なカードではありません（転入届のあとに行います）。',
  'card-expired': '有効期限が切れたカードは継続利用できません。', 'bad-pin': '暗証番号は4桁の数字です。',
  'wrong-pin': '暗証番号が違います。', 'no-such-pin': '利用者証明用の暗証番号がありません。',
  'already-collected': 'このカードは交付済みです（暗証番号は変更または初期化で行います）。',
  'not-collected': 'このカードはまだ交付されていません。先にカードの交付を行ってください。',
  'collection-expired': '保管期間を過ぎたカードは廃棄されています。改めて申請が必要です。',
  'password-needed': '署名用電子証明書を発行するため、署名用パスワード（6〜16文字）も設定してください。',
  'no-signature-certificate': '署名用電子証明書は発行されないため、署名用のパスワードは設定しません。',
  'not-a-my-number-card': 'マイナンバーカードではありません。',
  'application-pending': '前回の申請のカードを作成中です。カードが届いてから交付します。',
};
const PINS = [['auth', '利用者証明用（4桁）'], ['sign', '署名用（6〜16文字）'], ['kenhojo', '券面事項入力補助用（4桁）']] as const;

type Answer = { ok: true; status: CounterStatus | null; summary?: string; action?: string; arrivesOn?: string } | { ok: false; message: string };

async function call(verb: CounterVerb, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`/api/v1/counter/${verb}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) {
    const reason = /^refused \(([a-z-]+)\)/.exec(json.error ?? '')?.[1];
    return { ok: false, message: (reason && REFUSAL[reason]) ?? json.error ?? `エラー (${res.status})` };
  }
  if (verb === 'apply') return { ok: true, status: null, summary: json.summary, action: 'apply', arrivesOn: json.arrivesOn };
  return verb === 'status' ? { ok: true, status: json } : { ok: true, status: json.status, summary: json.summary, action: json.action?.action };
}

const date = (iso: string) => iso.slice(0, 10);
/** A center time (ISO, any offset) as the clerk reads it: Japan time, to the minute. */
const japanMinute = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function Status({ s }: { s: CounterStatus }) {
  return (
    <section class="counter-status" aria-label="カードの状態">
      <h2>{s.holder ? `${s.holder.name}（${s.holder.birthDate} 生・${s.holder.cityName}）` : s.persona}</h2>
      <dl>
        <dt>カード</dt>
        <dd data-field="card">{s.card}：{s.collection ? '交付待ち' : CARD_STATUS[s.center.status] ?? s.center.status}{s.center.reason ? `（${REASON[s.center.reason] ?? s.center.reason}）` : ''}
          {s.center.usableFrom ? `／コンビニ交付は ${japanMinute(s.center.usableFrom)} から` : ''}</dd>
        {s.center.certificates.map((c) => (
          <Fragment key={c.serial}>
            <dt>{c.kind === 'auth' ? '利用者証明用電子証明書' : '署名用電子証明書'}</dt>
            <dd data-field={`cert-${c.kind}`}>{CERT_STATUS[c.status] ?? c.status}{c.reason ? `（${REASON[c.reason] ?? c.reason}）` : ''}　{date(c.notBefore)}〜{date(c.notAfter)}</dd>
          </Fragment>
        ))}
        <dt>暗証番号</dt>
        <dd data-field="pins">{PINS.filter(([k]) => s.pins[k]).map(([k, label]) => `${label.replace(/（.*/, '')} ${s.pins[k]!.locked ? 'ロック中' : `残り${s.pins[k]!.triesLeft}回`}`).join('　') || 'なし'}</dd>
        {s.center.continueBy && (<><dt>継続利用</dt><dd data-field="continuation">未手続（{s.center.continueBy} までに手続がないとカードは失効します）</dd></>)}
        {s.collection && (<><dt>交付</dt><dd data-field="collection">交付待ち（{s.collection.keptUntil} まで保管）</dd></>)}
        {s.renewal && (<><dt>更新</dt><dd>{s.renewal.open ? '受付中' : `${s.renewal.opensOn} から受付`}</dd></>)}
        <dt>窓口</dt>
        <dd>{s.counter.open ? '受付時間内' : '受付時間外・閉庁'}</dd>
      </dl>
      {s.center.actions.length > 0 && (
        <ol class="counter-history" aria-label="手続の履歴">
          {s.center.actions.map((a) => <li key={a.id}>{japanMinute(a.at)}　{ACTION[a.action] ?? a.action}（{a.by === 'call-center' ? 'コールセンター' : a.by}）</li>)}
        </ol>
      )}
    </section>
  );
}

export function CounterDesk() {
  const [card, setCard] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [last, setLast] = useState<CounterStatus | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (verb: CounterVerb, form?: HTMLFormElement) => {
    const body: Record<string, unknown> = { card: card.trim() };
    if (form) {
      for (const el of Array.from(form.elements) as HTMLInputElement[]) {
        if (!el.name) continue;
        if (el.type === 'checkbox') body[el.name] = el.checked;
        else if (el.value) body[el.name] = el.value;
      }
    }
    setBusy(true);
    try {
      const a = await call(verb, body);
      setAnswer(a);
      if (a.ok && a.status) setLast(a.status);
    } catch {
      setAnswer({ ok: false, message: '端末と通信できません。' });
    } finally {
      setBusy(false);
      // A PIN typed in a form goes once, in that request.
      for (const input of Array.from(form?.querySelectorAll<HTMLInputElement>('input[type=password]') ?? [])) input.value = '';
    }
  };
  const submit = (verb: CounterVerb) => (e: Event) => {
    e.preventDefault();
    void run(verb, e.currentTarget as HTMLFormElement);
  };
  const ready = card.trim() !== '' && !busy;
  const pinFields = (
    <>
      <label>暗証番号の種類 <select name="pin">{PINS.map(([k, label]) => <option value={k}>{label}</option>)}</select></label>
      <label>新しい暗証番号 <input name="new" type="password" autocomplete="off" required maxLength={16} /></label>
    </>
  );

  return (
    <main class="counter" lang="ja">
      <header class="counter-header"><h1>窓口端末　マイナンバーカードの手続</h1></header>
      <form class="counter-lookup" onSubmit={submit('status')}>
        <label>カード番号（またはペルソナ） <input value={card} onInput={(e) => setCard((e.target as HTMLInputElement).value)} placeholder="kawasaki-taro" /></label>
        <button type="submit" disabled={!ready}>照会</button>
      </form>
      {answer && (
        <p class={answer.ok ? 'counter-done' : 'counter-refused'} role="status">
          {answer.ok ? (answer.action ? `完了：${ACTION[answer.action] ?? answer.action}` : '照会しました。') : `受付できません：${answer.message}`}
          {answer.ok && answer.arrivesOn && <span data-field="applied">（カードは {answer.arrivesOn} に届きます）</span>}
        </p>
      )}
      {last && <Status s={last} />}
      <div class="counter-actions">
        <form onSubmit={submit('apply')}><h3>カードの交付申請（申請時来庁）</h3><p>申請書を印刷し、写真を撮影して J-LIS に送ります。カードは約4週間後に届きます。</p>
          <label><input type="checkbox" name="declined" /> 電子証明書を希望しない</label>
          <label><input type="checkbox" name="braille" /> 点字表記を希望する</label>
          <button disabled={!ready}>申請する</button></form>
        <form onSubmit={submit('collect')}><h3>カードの交付</h3><p>本人が暗証番号を設定し、電子証明書を発行します。コンビニ交付は翌日から利用できます。</p>
          <label>暗証番号（利用者証明用・券面事項入力補助用、4桁） <input name="new" type="password" autocomplete="off" required maxLength={4} /></label>
          <label>署名用パスワード（6〜16文字、15歳未満は不要） <input name="password" type="password" autocomplete="off" maxLength={16} /></label>
          <label>来庁者 <select name="who"><option value="holder">本人</option><option value="representative">法定代理人</option><option value="proxy">任意代理人</option></select></label>
          <label><input type="checkbox" name="answered" /> 照会書（回答済み）を持参（代理人）</label>
          <button disabled={!ready}>交付する</button></form>
        <form onSubmit={submit('reset-pin')}><h3>暗証番号の初期化</h3>{pinFields}
          <label>来庁者 <select name="who"><option value="holder">本人</option><option value="representative">法定代理人</option><option value="proxy">任意代理人</option></select></label>
          <label><input type="checkbox" name="answered" /> 照会書兼回答書を持参（代理人の2回目）</label>
          <button disabled={!ready}>初期化する</button></form>
        <form onSubmit={submit('change-pin')}><h3>暗証番号の変更</h3>{pinFields}<button disabled={!ready}>変更する</button></form>
        <form onSubmit={submit('report-lost')}><h3>一時停止（紛失・盗難の届出）</h3>
          <label>警察の受理番号 <input name="police" /></label><button disabled={!ready}>一時停止する</button></form>
        <form onSubmit={submit('cancel-suspension')}><h3>一時停止の解除</h3><p>電子証明書は新しく発行します。</p><button disabled={!ready}>解除する</button></form>
        <form onSubmit={submit('renew')}><h3>電子証明書の更新</h3><button disabled={!ready}>更新する</button></form>
        <form onSubmit={submit('issue-certificates')}><h3>電子証明書の発行</h3>
          <label>利用者証明用の暗証番号（4桁） <input name="new" type="password" autocomplete="off" required maxLength={4} /></label><button disabled={!ready}>発行する</button></form>
        <form onSubmit={submit('reissue')}><h3>再交付</h3><label><input type="checkbox" name="express" /> 特急発行</label><button disabled={!ready}>再交付する</button></form>
        <form onSubmit={submit('change-address')}><h3>住所変更（転居）</h3><label>新しい住所 <input name="address" /></label><button disabled={!ready}>変更する</button></form>
        <form onSubmit={submit('change-name')}><h3>氏名変更</h3><label>新しい氏名 <input name="name" required maxLength={40} /></label><button disabled={!ready}>変更する</button></form>
        <form onSubmit={submit('register-domicile')}><h3>戸籍証明書交付の利用登録</h3><p>本籍地の市区町村の承認後（2開庁日）から利用できます。</p><button disabled={!ready}>登録する</button></form>
        <form onSubmit={submit('return-card')}><h3>カードの返納</h3><button disabled={!ready}>返納を受け付ける</button></form>
        <form onSubmit={submit('move-out')}><h3>転出届</h3><button disabled={!ready}>受け付ける</button></form>
        <form onSubmit={submit('move-in')}><h3>転入届（転出から14日以内）</h3>
          <label>転入先の市区町村 <input name="to" required maxLength={64} placeholder="横浜市" /></label>
          <label>新しい住所 <input name="address" maxLength={200} /></label><button disabled={!ready}>受け付ける</button></form>
        <form onSubmit={submit('continue-card')}><h3>継続利用（転入から90日以内）</h3><p>本人がカードの暗証番号を入力します。</p>
          <label>利用者証明用の暗証番号（4桁） <input name="pin" type="password" autocomplete="off" required maxLength={4} /></label><button disabled={!ready}>継続利用する</button></form>
        <form onSubmit={submit('death')}><h3>死亡届</h3><button disabled={!ready}>受け付ける</button></form>
      </div>
    </main>
  );
}
