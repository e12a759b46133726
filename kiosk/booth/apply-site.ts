// The application site the form's QR code leads to (photo-booth.md §7: the smartphone and PC routes), served by
// `kiosk apply-site` on 127.0.0.1: one page that takes the 申請書ID (filled in from the QR code's link, or typed on a
// PC), an e-mail address, the birth date, the certificates and Braille, and a photograph file (JPEG, 20 KB-7 MB,
// 480-6000 px). The page checks the file for a quick answer; the site receives the file itself, reads it again
// (photo-file.ts: decoded, turned upright, cut to 3.5 × 4.5), measures it with the booth's checks, and J-LIS records
// the application as every route's: the same
// record, its route `smartphone` (the QR code's link) or `pc` (the ID typed). The e-mail that says it is done is
// written to DIR/outbox as a file: the simulator sends no mail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ApplicationRefused, CardApplications } from '../../center/applications.ts';
import { SqliteCenterRecords } from '../../center/records/sqlite-records.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import type { Clock } from '../clock.ts';
import { ApiError, readBody, replyJson as reply } from '../control-api.ts';
import { isLoopbackHost } from '../server.ts';
import { checkPhoto, photoDigest } from './photo-checks.ts';
import { PhotoFileError, readPhotoFile, UPLOAD_RULES } from './photo-file.ts';

/** A request: the fields, and a JPEG of at most 7 MB in base64. */
const MAX_BODY_BYTES = Math.ceil((UPLOAD_RULES.bytes.max * 4) / 3) + 64 * 1024;

export interface ApplySiteOptions {
  port: number;
  clock: Clock;
  /** The folder whose center (DIR/center/center.sqlite) records the applications; its outbox is DIR/outbox. */
  varDir: string;
}

export async function serveApplySite(o: ApplySiteOptions) {
  const data = loadSampleData();
  const records = new SqliteCenterRecords(join(o.varDir, 'center', 'center.sqlite'));
  const jlis = new CardApplications({ records, registry: data.registry, clock: o.clock });
  const outbox = join(o.varDir, 'outbox');
  // One photograph decoded at a time: a 36-megapixel JPEG (the rules' largest) takes 1.3 GB and 5.6 s to decode here.
  let decoding: Promise<unknown> = Promise.resolve();
  const readOneAtATime = (file: Buffer) => {
    const read = decoding.then(() => readPhotoFile(file));
    decoding = read.catch(() => undefined);
    return read;
  };

  const apply = async (req: IncomingMessage): Promise<unknown> => {
    const b = await readBody(req, MAX_BODY_BYTES);
    const text = (name: string, max: number) => {
      const v = b[name];
      if (typeof v !== 'string' || !v || v.length > max) throw new ApiError(400, `${name} is a text of 1-${max} characters`);
      return v;
    };
    const form = text('form', 64).replace(/\s/g, '');
    const email = text('email', 254);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ApiError(400, 'email is an e-mail address');
    const birthDate = text('birthDate', 10);
    if (!/^\d{4}-\d\d-\d\d$/.test(birthDate)) throw new ApiError(400, 'birthDate is a date, YYYY-MM-DD');
    if (typeof b.certificates !== 'boolean' || typeof b.braille !== 'boolean') throw new ApiError(400, 'certificates and braille are true or false');
    const route = b.route === 'smartphone' ? 'smartphone' : b.route === 'pc' ? 'pc' : null;
    if (!route) throw new ApiError(400, 'route is smartphone or pc');
    // The file itself: its type, size and pixels are read from its bytes, not from what the page says of it.
    const photo = b.photo as { jpeg?: unknown } | undefined;
    if (!photo || typeof photo.jpeg !== 'string') throw new ApiError(400, 'photo is the JPEG file as { jpeg: base64 }');
    let picture;
    try {
      picture = await readOneAtATime(Buffer.from(photo.jpeg, 'base64'));
    } catch (e) {
      if (e instanceof PhotoFileError) throw new ApiError(422, `${e.message} (a JPEG of 20 KB to 7 MB and 480 to 6000 pixels each way)`);
      throw e;
    }
    const { checks } = checkPhoto(picture);
    if (!Object.values(checks).every(Boolean)) return { ok: false, reason: 'photo-rejected', checks };
    try {
      const a = jlis.apply({ form, route, by: route, birthDate, certificates: b.certificates, braille: b.braille, photoSha256: photoDigest(picture) });
      const arrivesOn = japanTime(jlis.arrivesAt(a)).date;
      mkdirSync(outbox, { recursive: true, mode: 0o700 });
      writeFileSync(join(outbox, `application-${a.id}.eml`), [
        `To: ${email}`, 'From: no-reply@kojinbango-card.example', 'Subject: =?UTF-8?B?' + Buffer.from('個人番号カード交付申請の完了').toString('base64') + '?=',
        'Content-Type: text/plain; charset=UTF-8', '', `申請を受け付けました（受付番号 ${a.id}）。カードは ${arrivesOn} ごろ市区町村の窓口に届きます。`, '',
      ].join('\r\n'), { mode: 0o600 });
      return { ok: true, application: a.id, arrivesOn, checks };
    } catch (e) {
      if (e instanceof ApplicationRefused) return { ok: false, reason: e.reason, message: e.message };
      throw e;
    }
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    if (!isLoopbackHost(req.headers.host)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: this site answers to 127.0.0.1 and localhost only');
    if (url.pathname === '/api/apply' && req.method === 'POST') {
      // Only this site's own page may send an application (a page elsewhere could not, even in this browser).
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) return void reply(res, 403, { error: 'only the application page may send an application' });
      void apply(req).then((r) => reply(res, 200, r), (e) => reply(res, e instanceof ApiError ? e.status : 500, { error: e instanceof ApiError ? e.message : 'The site could not handle that request.' }));
      return;
    }
    if (url.pathname === '/apply' && (req.method === 'GET' || req.method === 'HEAD')) {
      const id = url.searchParams.get('id') ?? '';
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(/^\d{23}$/.test(id) ? id : ''));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the application page is /apply');
  });
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(o.port, '127.0.0.1', () => ok());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://127.0.0.1:${port}/`, port, records, outbox,
    async close() {
      await new Promise<void>((ok) => http.close(() => ok()));
      records.close();
    },
  };
}

/** The page: a form, and a script that checks the file before it sends it (the site checks it again). */
function page(id: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>個人番号カード交付申請</title>
<style>body{font-family:"Noto Sans JP",system-ui,sans-serif;max-width:640px;margin:24px auto;padding:0 16px;font-size:18px;color:#0f172a}
label{display:block;margin:14px 0}input[type=text],input[type=email],input[type=date]{font-size:18px;width:100%;padding:8px}
button{font-size:20px;padding:10px 24px;background:#0847a6;color:#fff;border:0;border-radius:8px}#said{margin-top:16px;font-weight:700}.ng{color:#b91c1c}</style></head>
<body><h1>個人番号カード交付申請</h1>
<form id="f">
<label>申請書ID（23桁）<input type="text" id="form" name="form" inputmode="numeric" value="${id}" ${id ? 'readonly' : ''} required></label>
<label>メールアドレス<input type="email" id="email" required></label>
<label>生年月日<input type="date" id="birth" required></label>
<label><input type="checkbox" id="certificates" checked> 電子証明書の発行を希望する</label>
<label><input type="checkbox" id="braille"> 氏名の点字表記を希望する</label>
<label>顔写真（JPEG、20KB〜7MB、縦横480〜6000ピクセル）<input type="file" id="photo" accept="image/jpeg" required></label>
<button id="send">申請する</button></form><p id="said" role="status"></p>
<script>
const ROUTE = ${JSON.stringify(id ? 'smartphone' : 'pc')};
const R = ${JSON.stringify(UPLOAD_RULES)};
const said = (t, ng) => { const p = document.getElementById('said'); p.textContent = t; p.className = ng ? 'ng' : ''; };
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = document.getElementById('photo').files[0];
  if (!file || !R.types.includes(file.type) || file.size < R.bytes.min || file.size > R.bytes.max) return said('写真はJPEG形式、20KB〜7MBのファイルにしてください。', true);
  const img = new Image();
  img.src = URL.createObjectURL(file);
  try { await img.decode(); } catch { return said('写真を読み込めませんでした。', true); }
  const [w, h] = [img.naturalWidth, img.naturalHeight];
  if (w < R.pixels.min || h < R.pixels.min || w > R.pixels.max || h > R.pixels.max) return said('写真は縦横480〜6000ピクセルにしてください。', true);
  const bytes = new Uint8Array(await file.arrayBuffer()); let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const body = { form: document.getElementById('form').value, email: document.getElementById('email').value, birthDate: document.getElementById('birth').value,
    certificates: document.getElementById('certificates').checked, braille: document.getElementById('braille').checked, route: ROUTE, photo: { jpeg: btoa(bin) } };
  const res = await fetch('/api/apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const r = await res.json();
  if (!res.ok) return said((res.status === 422 ? '写真のファイルが規定に合いません：' : '') + r.error, true);
  if (r.ok) return said('申請を受け付けました（受付番号 ' + r.application + '）。カードは ' + r.arrivesOn + ' ごろ市区町村の窓口に届きます。完了のメールを送りました。');
  if (r.reason === 'photo-rejected') return said('写真が規定に合いません：' + Object.entries(r.checks).filter(([, ok]) => !ok).map(([k]) => ({ face: '顔が写っていない', centred: '顔が中央にない', lit: '明るさが適切でない', plainBackground: '背景が無地でない' })[k]).join('、'), true);
  said(r.message || r.reason, true);
});
</script></body></html>`;
}
