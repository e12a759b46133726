// Every certificate the kiosk issues, built by the center's own builder from the sample registers and rendered:
// what the text of the PDF must hold, and what it must not.
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf } from './certificate.ts';
import type { IssuedCertificate } from '../document.ts';
import { MissingGlyphError } from '../errors.ts';
import { sampleCertificates, type SampleOptions } from '../../samples/registry-samples.ts';
import { fontRows, pdfinfo, pdftotext, pdftotextRaw, rgbPixels } from '../testing/poppler.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { householdOf, myNumberFor, residentCodeFor } from '../../center/registry.ts';
import type { CertificateKind } from '../document.ts';

const AT = '2026-11-24T10:00:00+09:00';
const DATE = '令和8年11月24日';
const squash = (s: string) => s.replace(/\s+/g, '');

async function issue(kind: CertificateKind, persona: string, opts: SampleOptions = {}) {
  const certs = sampleCertificates(kind, persona, { issuedAt: AT, issuanceNumber: 'K01-20261124-000042', ...opts });
  const pdfs = await Promise.all(certs.map((c) => renderCertificatePdf(c)));
  const cert = certs[0];
  const pdf = pdfs[0];
  const pages = Number(pdfinfo(pdf).match(/^Pages:\s+(\d+)$/m)![1]);
  const text = Array.from({ length: pages }, (_, i) => pdftotext(pdf, i + 1));
  // Content is checked on the text in reading order with white space removed, as the kiosk's other tests read it.
  return { certs, pdfs, cert, pdf, pages, text, front: text[0], back: text[1], all: squash(pdftotextRaw(pdf)) };
}

/** What every certificate must carry, whatever its kind. */
function expectCertificate(d: Awaited<ReturnType<typeof issue>>) {
  const { cert, pdf, pages, text, front, back } = d;
  expect(pages).toBe(2);
  text.forEach((t, i) => {
    expect(t, `page ${i + 1}`).toContain(`発行番号 ${cert.issuanceNumber}`);
    expect(t, `page ${i + 1}`).toContain(`（${i + 1}/${pages}）`);
    expect(t, `page ${i + 1}`).toContain(`${cert.copies}通中${cert.copyIndex}通目`);
  });
  expect(squash(front)).toContain(squash(cert.title));
  expect(squash(front)).toContain(squash(cert.certification));
  expect(front).toContain(DATE);
  expect(squash(front)).toContain(squash(`${cert.municipality.name}長${cert.municipality.mayor}`));
  expect(back).toMatch(/\b\d{4}-\d{4}-\d{4}-\d{4}\b/);
  expect(back).toContain(cert.verificationCode);
  expect(front).not.toContain(cert.verificationCode);
  expect(fontRows(pdf)).toEqual([
    expect.objectContaining({ name: expect.stringMatching(/^[A-Z]{6}\+IPAmjMincho$/), emb: 'yes', sub: 'yes', uni: 'yes' }),
  ]);
}

const data = loadSampleData();
const resident = (id: string) => data.registry.residents.get(id)!;
const household = householdOf(data.registry, 'hh-kawasaki-taro');

/** The 住民票コード of anyone in the household: never printed. */
function expectNoResidentCodes(all: string) {
  for (const m of household) expect(all).not.toContain(residentCodeFor(m.id));
}

describe('住民票の写し', () => {
  it('whole household: every member, 世帯主・続柄 and 本籍・筆頭者 as chosen, no 個人番号, no 住民票コード', async () => {
    const d = await issue('juminhyo', 'kawasaki-taro');
    expectCertificate(d);
    expect(d.cert.title).toBe('住民票の写し');
    for (const m of household) expect(d.all).toContain(squash(m.name));
    expect(d.all).toContain('神奈川県川崎市中原区小杉町三丁目600番地');
    for (const label of ['世帯主', '続柄', '本籍', '筆頭者', '住民となった年月日']) expect(d.all).toContain(label);
    expect(d.all).not.toContain('個人番号');
    for (const m of household) expect(d.all).not.toContain(myNumberFor(m.id));
    expectNoResidentCodes(d.all);
  });

  it('self only: the holder and nobody else of the household', async () => {
    const d = await issue('juminhyo', 'kawasaki-hanako', { subtype: { kind: 'juminhyo', scope: 'self', members: [] } });
    expectCertificate(d);
    expect(d.all).toContain('カワサキハナコ');
    // Names recur across a family (the 世帯主 is also the 筆頭者): the members are told apart by their kana.
    expect(d.all).not.toContain('カワサキイチロウ');
    // 川崎 太郎 is the 世帯主 (header) and 筆頭者, but has no block of his own.
    expect(d.all).not.toContain('カワサキタロウ');
  });

  it('chosen members: the holder and the members chosen, not the others', async () => {
    const d = await issue('juminhyo', 'kawasaki-taro', { subtype: { kind: 'juminhyo', scope: 'members', members: ['kawasaki-ichiro'] } });
    expectCertificate(d);
    expect(d.all).toContain('カワサキタロウ');
    expect(d.all).toContain('カワサキイチロウ');
    expect(d.all).not.toContain('カワサキハナコ');
  });

  it('without 世帯主・続柄 and 本籍・筆頭者: those fields are left out', async () => {
    const d = await issue('juminhyo', 'kawasaki-taro', { options: { householdHead: false, domicile: false } });
    expectCertificate(d);
    for (const label of ['世帯主', '続柄', '本籍', '筆頭者']) expect(d.all).not.toContain(label);
    expect(d.all).toContain('カワサキハナコ');
  });

  it('個人番号 only when the city allows it and it was chosen', async () => {
    const number = resident('yokohama-resident').myNumber!;
    const chosen = await issue('juminhyo', 'yokohama-resident', { options: { myNumber: true } });
    expectCertificate(chosen);
    expect(chosen.all).toContain('個人番号');
    expect(chosen.all).toContain(number);
    expect(chosen.cert.municipality.name).toBe('横浜市');
    const not = await issue('juminhyo', 'yokohama-resident', { options: { myNumber: false } });
    expect(not.all).not.toContain('個人番号');
    expect(not.all).not.toContain(number);
  });

  it('a foreign resident: 国籍・地域 and 在留資格 as chosen, the card number only when chosen', async () => {
    const r = resident('silva-ana');
    const d = await issue('juminhyo', 'silva-ana', { options: { nationality: true, residenceStatus: true, residenceCardNumber: false } });
    expectCertificate(d);
    expect(d.all).toContain('SILVAANA');
    expect(d.all).toContain(squash(r.foreign!.nationality));
    expect(d.all).toContain(squash(r.foreign!.residenceStatus));
    expect(d.all).not.toContain(r.foreign!.residenceCardNumber);
    // 永住者: no period of stay, so no expiry date is printed.
    expect(r.foreign!.residenceStatus).toBe('永住者');
    expect(d.all).not.toContain('在留期間等の満了の日');
  });

  it('names the one scope it copies: the whole household, or a part of it', async () => {
    const whole = await issue('juminhyo', 'kawasaki-taro');
    expect(whole.cert.certification).toBe('この写しは、世帯全員の住民票の原本と相違ないことを証明する。');
    const part = await issue('juminhyo', 'kawasaki-taro', { subtype: { kind: 'juminhyo', scope: 'self', members: [] } });
    expect(part.cert.certification).toBe('この写しは、世帯の一部の住民票の原本と相違ないことを証明する。');
    expect(part.all).toContain(squash(part.cert.certification));
    expect(part.all).not.toContain('又は');
  });

  it('the rare-kanji name 髙﨑 𠮷子 renders and extracts as itself, no glyph missing', async () => {
    const d = await issue('juminhyo', 'takasaki-yoshiko');
    expectCertificate(d);
    expect(d.front).toContain('髙﨑 𠮷子');
    expect(d.all).not.toMatch(/[\uFFFD]/);
  });

  it('several copies: one two-page PDF per copy, each with its copy number and its own code', async () => {
    const d = await issue('juminhyo', 'kawasaki-taro', { copies: 3 });
    expect(d.pdfs).toHaveLength(3);
    expect(new Set(d.certs.map((c) => c.verificationCode)).size).toBe(3);
    for (const [i, pdf] of d.pdfs.entries()) {
      expect(pdfinfo(pdf)).toMatch(/^Pages:\s+2$/m);
      for (const page of [1, 2]) expect(pdftotext(pdf, page)).toContain(`3通中${i + 1}通目`);
      const back = pdftotext(pdf, 2);
      d.certs.forEach((c, j) => (i === j ? expect(back).toContain(c.verificationCode) : expect(back).not.toContain(c.verificationCode)));
    }
  });
});

describe('住民票記載事項証明書', () => {
  it('has its own title and certification over the same record', async () => {
    const d = await issue('kisai', 'kawasaki-taro');
    expectCertificate(d);
    expect(d.cert.title).toBe('住民票記載事項証明書');
    expect(d.all).toContain('上記の事項は、住民票の記載事項と相違ないことを証明する。');
    for (const m of household) expect(d.all).toContain(squash(m.name));
    expectNoResidentCodes(d.all);
  });
});

describe('印鑑登録証明書', () => {
  it('shows the registered seal impression in red, with its registration number', async () => {
    const d = await issue('inkan', 'kawasaki-taro');
    expectCertificate(d);
    const seal = resident('kawasaki-taro').seal!;
    expect(d.cert.sealImpression).toEqual({ text: seal.impression, registrationNumber: seal.number });
    expect(d.all).toContain('印影');
    expect(d.all).toContain(`登録番号第${seal.number}号`);
    expect(d.all).toContain('川崎太郎');
    // The impression is a drawing in the body of the front (the mayor's seal is lower down, below 640 pt).
    const { pixels } = rgbPixels(d.pdf, 1, 72, { x: 0, y: 100, width: 595, height: 500 });
    let red = 0;
    for (let i = 0; i < pixels.length; i += 3) if (pixels[i] > 170 && pixels[i + 1] < 120 && pixels[i + 2] < 120) red++;
    expect(red).toBeGreaterThan(300);
  });

  it('of the rare-kanji persona', async () => {
    const d = await issue('inkan', 'takasaki-yoshiko');
    expectCertificate(d);
    expect(d.front).toContain('髙﨑 𠮷子');
  });
});

describe('課税・非課税証明書', () => {
  it('for the year chosen, not another', async () => {
    const d = await issue('kazei', 'kawasaki-taro', { subtype: { kind: 'kazei', year: 2024 } });
    expectCertificate(d);
    expect(d.all).toContain('2024年度（2023年分所得）');
    expect(d.all).toContain('4,960,000円');
    expect(d.all).not.toContain('5,200,000円');
    expect(d.all).toContain('課税');
  });

  it('says 非課税 where nothing is levied', async () => {
    const d = await issue('kazei', 'kawasaki-hanako');
    expectCertificate(d);
    expect(d.all).toContain('非課税');
  });
});

describe('the other tax certificates: each its own title and content', () => {
  it('所得証明書: the income and the deductions, no tax amount', async () => {
    const d = await issue('shotoku', 'kawasaki-taro');
    expectCertificate(d);
    for (const t of ['所得証明書', '5,200,000円', '社会保険料控除', '扶養控除', '基礎控除', '所得控除額合計', '1,540,000円', '扶養親族数']) expect(d.all, t).toContain(t);
    for (const t of ['所得割額', '均等割額', '課税区分', '課税・非課税証明書']) expect(d.all, t).not.toContain(t);
  });

  it('所得・課税証明書: both', async () => {
    const d = await issue('shotoku-kazei', 'yokohama-resident');
    expectCertificate(d);
    for (const t of ['所得・課税証明書', '所得控除額合計', '市民税・県民税所得割額', '360,000円', '課税区分']) expect(d.all, t).toContain(t);
  });

  it('納税証明書: the tax levied, paid and unpaid, no income', async () => {
    const d = await issue('nozei', 'bunkyo-resident');
    expectCertificate(d);
    for (const t of ['納税証明書', '特別区民税・都民税（個人）', '366,200円', '納付済額', '275,200円', '未納額', '91,000円']) expect(d.all, t).toContain(t);
    expect(d.all).not.toContain('総所得金額');
  });
});

describe('戸籍全部事項証明書 and 戸籍個人事項証明書', () => {
  it('全部: 本籍 and 筆頭者, then every member of the register', async () => {
    const d = await issue('koseki-zenbu', 'kawasaki-taro');
    expectCertificate(d);
    expect(d.all).toContain('神奈川県川崎市川崎区宮本町1番地');
    expect(d.all).toContain('戸籍に記録されている者');
    for (const n of ['川崎太郎', '川崎花子', '川崎一郎', '長男']) expect(d.all).toContain(n);
    // 続柄 is each one's relation to the parents; the marriage is the 配偶者区分 (a 戸籍 knows no 筆頭者 or 妻 as 続柄).
    expect(d.all).toContain('配偶者区分夫');
    expect(d.all).toContain('配偶者区分妻');
    expect(d.all).toContain('続柄長女');
    expect(d.all).not.toContain('続柄筆頭者');
    expect(d.all).not.toContain('続柄妻');
    expectNoResidentCodes(d.all);
  });

  it('is issued by the city of the 本籍, with its mayor', async () => {
    const d = await issue('koseki-zenbu', 'fuchu-honseki');
    expectCertificate(d);
    expect(d.cert.municipality.name).toBe('府中市');
    for (const n of ['東京都府中市', '府中健', '府中真理']) expect(d.all).toContain(n);
  });

  it('個人: the chosen member only', async () => {
    const d = await issue('koseki-kojin', 'kawasaki-taro', { subtype: { kind: 'koseki', form: 'kojin', person: 'kawasaki-hanako' } });
    expectCertificate(d);
    expect(d.cert.title).toBe('戸籍個人事項証明書');
    expect(d.all).toContain('川崎花子');
    expect(d.all).toContain('昭和57年9月30日');
    // The son (長男, born 平成24年) is on the register but was not chosen.
    expect(d.all).not.toContain('長男');
    expect(d.all).not.toContain('平成24年6月1日');
  });

  it('of the rare-kanji persona', async () => {
    const d = await issue('koseki-zenbu', 'takasaki-yoshiko');
    expectCertificate(d);
    expect(d.front).toContain('髙﨑 𠮷子');
  });
});

describe('戸籍の附票の写し', () => {
  it('every address since entering the register, each with the day it was set; 本籍 when chosen', async () => {
    const d = await issue('fuhyo', 'kawasaki-taro');
    expectCertificate(d);
    const history = resident('kawasaki-taro').addressHistory!;
    for (const h of history) expect(d.all).toContain(squash(h.address));
    expect(d.all).toContain('住所を定めた年月日');
    expect(d.all).toContain('平成15年4月1日');
    expect(d.all).toContain('平成20年4月1日');
    // One address a line: the history is not wrapped into the next column.
    for (const h of history) expect(d.front).toContain(h.address);
    expect(d.all).toContain('本籍');
    const hidden = await issue('fuhyo', 'kawasaki-taro', { options: { domicile: false } });
    expect(hidden.all).not.toContain('本籍');
    expect(hidden.all).not.toContain('筆頭者');
  });
});

describe('what cannot be printed', () => {
  it('a character outside the font is an error that names it, never an empty box', async () => {
    const cert: IssuedCertificate = sampleCertificates('juminhyo', 'kawasaki-taro', { issuedAt: AT })[0];
    cert.people[2] = cert.people[2].map((f) => (f.label === '氏名' ? { ...f, value: '川崎 \u{10FFFD}郎' } : f));
    const err = await renderCertificatePdf(cert).catch((e) => e);
    expect(err).toBeInstanceOf(MissingGlyphError);
    expect(err.codePoint).toBe('U+10FFFD');
    expect(err.message).toContain('U+10FFFD');
    expect(err.message).toContain('people[2] 氏名');
  });
});
