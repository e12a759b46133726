// Every cell of center/EXPECTATIONS.md (persona × city × certificate), run as a journey through the kiosk: card,
// city, PIN, the center's authentication, certificate, payment and print. A ✓ must come out as a PDF whose text
// (poppler's pdftotext) names the holder and never the 住民票コード; anything else must stop where and why the
// table says. The table is written by hand, so a rule changed in the code and not in the table fails here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasInfoChoice, offeredInfo, taxKindsOffered } from '../../machine/rules/catalog.ts';
import { TITLES } from '../../center/documents.ts';
import type { Certificate } from '../../machine/types.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { householdOf, residentCodeFor } from '../../center/registry.ts';

const data = loadSampleData();
const TABLE = readFileSync(join(import.meta.dirname, '..', '..', 'center', 'EXPECTATIONS.md'), 'utf8');
const TIMES: Record<string, string> = {
  '': '2026-11-24T10:00:00+09:00',
  sat: '2026-11-28T10:00:00+09:00',
  maint: '2026-12-06T09:00:00+09:00',
};
/** The table's columns, in order: what is chosen on certificate-select and type-select. */
const COLUMNS: Array<{ title: string; certificate: Certificate; form?: 'zenbu' | 'kojin' }> = [
  { title: '住民票の写し', certificate: 'juminhyo' },
  { title: '住民票記載事項証明書', certificate: 'kisai' },
  { title: '印鑑登録証明書', certificate: 'inkan' },
  { title: '課税・非課税証明書', certificate: 'kazei' },
  { title: '戸籍全部事項証明書', certificate: 'koseki', form: 'zenbu' },
  { title: '戸籍個人事項証明書', certificate: 'koseki', form: 'kojin' },
  { title: '戸籍の附票の写し', certificate: 'fuhyo' },
];
const CARD_REFUSALS = new Set(['unsupported-card', 'certificate-expired', 'certificate-not-yet-valid']);
const UNAVAILABLE = new Set(['not-offered', 'no-seal', 'no-tax-data', 'domicile-only', 'residence-only', 'outside-hours']);

interface Cell {
  persona: string;
  city: string;
  at: string;
  column: (typeof COLUMNS)[number];
  expected: string;
}

function cells(): Cell[] {
  const rows = TABLE.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| persona') && !l.startsWith('|---'));
  return rows.flatMap((line) => {
    const [persona, city, at, ...outcomes] = line.split('|').slice(1, -1).map((c) => c.trim());
    if (outcomes.length !== COLUMNS.length) throw new Error(`EXPECTATIONS.md: "${line}" has ${outcomes.length} outcomes, not ${COLUMNS.length}`);
    if (!(at in TIMES)) throw new Error(`EXPECTATIONS.md: unknown time "${at}"`);
    return outcomes.map((expected, i) => ({ persona, city, at, column: COLUMNS[i], expected }));
  });
}

/** The journey of one cell, as a QA engineer would write it: it goes as far as the table says it gets. */
function journeyOf(cell: Cell): string {
  const p = data.persona(cell.persona);
  const r = p.resident ? data.registry.residents.get(p.resident) : undefined;
  const s = (line: string) => `  - ${line}`;
  const steps = [
    s('tap: government-service'), s('tap: certificate-service'),
    s(`tap: ${p.card.kind === 'smartphone' ? 'smartphone' : 'my-number-card'}`), s('tap: accept-terms'), s('insert-card'),
  ];
  const done = (last: string) => [`name: "${cell.persona} ${cell.city} ${cell.at} ${cell.column.title}"`, `persona: ${cell.persona}`, `clock: ${TIMES[cell.at]}`, 'steps:', ...steps, s(last)].join('\n');
  const [reason, where] = cell.expected.split('@');
  if (CARD_REFUSALS.has(reason) && where !== 'center') return done(`expect: { screen: refused, reason: ${reason} }`);
  if (reason === 'pin-locked') return done('expect: { screen: pin-locked }');
  steps.push(s(cell.city === 'residence' ? 'tap: residence' : `domicile: ${cell.city}`), s(`pin: "${p.card.pin}"`));
  if (reason === 'maintenance') return done('expect: { screen: out-of-service, reason: maintenance }');
  if (cell.expected !== '✓' && !UNAVAILABLE.has(reason)) return done(`expect: { screen: refused, reason: ${reason} }`);
  steps.push(s('remove-card'));
  const { certificate, form } = cell.column;
  if (cell.expected !== '✓') return done(`expect: { screen: certificate-select, unavailable: { ${certificate}: ${reason} } }`);
  steps.push(s(`expect: { screen: certificate-select, unavailable: { ${certificate}: null } }`), s(`certificate: ${certificate}`));
  const city = data.municipalities.find((m) => m.code === (cell.city === 'residence' ? data.registry.households.get(r!.household)!.city : data.municipalities.find((c) => c.name === cell.city)!.code))!;
  if (certificate === 'juminhyo' || certificate === 'kisai') steps.push(s('type: { scope: household }'));
  if (certificate === 'kazei') steps.push(s('type: { year: 2026 }'));
  if (certificate === 'koseki') steps.push(s(`type: { form: ${form}${form === 'kojin' ? `, person: ${r!.id}` : ''} }`));
  if (certificate === 'fuhyo') steps.push(s(`type: { person: ${r!.id} }`));
  if (hasInfoChoice(certificate)) {
    // Every item the screen offers this person, chosen (the screen shows no other).
    steps.push(s(`info: { ${offeredInfo(certificate, city, !!r!.foreign).map((k) => `${k}: true`).join(', ')} }`));
  }
  steps.push(s('copies: 1'), s('tap: confirm'), s('insert-cash: [1000]'));
  return done('expect: { screen: printing, printed: 1, refunded: 0 }');
}

const pdfText = async (file: string) => (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
/** pdftotext keeps a name's space but may break lines anywhere; compare without white space. */
const squash = (s: string) => s.replace(/\s+/g, '');

const all = cells();
const spool = mkdtempSync(join(tmpdir(), 'kiosk-expectations-'));

describe('center/EXPECTATIONS.md through the kiosk', () => {
  it('covers every persona, every certificate and every municipality', () => {
    expect(new Set(all.map((c) => c.persona))).toEqual(new Set(data.personas.map((p) => p.id)));
    const issuedFrom = new Set(all.filter((c) => c.expected === '✓').map((c) => {
      const r = data.registry.residents.get(data.persona(c.persona).resident!)!;
      return c.city === 'residence' ? data.registry.households.get(r.household)!.city : data.municipalities.find((m) => m.name === c.city)!.code;
    }));
    for (const m of data.municipalities.filter((x) => x.participating)) expect(issuedFrom).toContain(m.code);
    expect(new Set(all.filter((c) => c.expected === '✓').map((c) => c.column.title)).size).toBe(COLUMNS.length);
  });

  const rows = new Map<string, Cell[]>();
  for (const c of all) rows.set(`${c.persona} ${c.city} ${c.at}`, [...(rows.get(`${c.persona} ${c.city} ${c.at}`) ?? []), c]);
  for (const row of rows.values()) {
    it(`${row![0].persona} (${row![0].city}${row![0].at ? `, ${row![0].at}` : ''}): ${row!.map((c) => c.expected).join(' · ')}`, async () => {
      for (const cell of row!) {
        const file = `${cell.persona}-${cell.city}-${cell.at}-${cell.column.title}.yaml`;
        const journey = parseJourneyText(file, journeyOf(cell), data.personas.map((p) => p.id));
        const result = await runJourney(journey, { printer: cell.expected === '✓' ? 'spool' : 'null', spoolDir: spool });
        expect(result.failure, `${cell.column.title}: ${result.failure?.message}`).toBeNull();
        if (cell.expected !== '✓') continue;
        const certificates = result.documents.filter((d) => !d.endsWith('-receipt.pdf'));
        expect(certificates, cell.column.title).toHaveLength(1);
        const text = squash(await pdfText(certificates[0]));
        const p = data.persona(cell.persona);
        const holder = data.registry.residents.get(p.resident!)!;
        expect(text, cell.column.title).toContain(squash(printedTitle(cell)));
        expect(text, cell.column.title).toContain(squash(holder.name));
        // The 住民票コード is never released, whoever is on the certificate.
        for (const m of householdOf(data.registry, holder.household)) expect(text).not.toContain(residentCodeFor(m.id));
        checkContent(cell, holder.id, text);
      }
    });
  }
});

/** The title printed: the column's, but a tax certificate is the city's first kind (横浜市: 所得・課税証明書). */
function printedTitle(cell: Cell): string {
  if (cell.column.certificate !== 'kazei') return cell.column.title;
  const r = data.registry.residents.get(data.persona(cell.persona).resident!)!;
  const code = cell.city === 'residence' ? data.registry.households.get(r.household)!.city : data.municipalities.find((m) => m.name === cell.city)!.code;
  return TITLES[taxKindsOffered(data.municipalities.find((m) => m.code === code)!)[0]];
}

/** The content checks listed under the table. */
function checkContent(cell: Cell, holder: string, text: string): void {
  const r = data.registry.residents.get(holder)!;
  const kind = `${cell.column.certificate}${cell.column.form ?? ''}`;
  if (kind === 'juminhyo') {
    if (holder === 'kawasaki-taro') for (const n of ['川崎太郎', '川崎花子', '川崎一郎', '世帯主']) expect(text).toContain(n);
    if (holder === 'silva-ana') expect(text).toContain('ブラジル');
    const printsMyNumber = holder === 'yokohama-resident';
    expect(text.includes('個人番号'), `${holder}: 個人番号 printed?`).toBe(printsMyNumber);
    if (printsMyNumber) expect(text).toContain(r.myNumber!);
  }
  if (kind === 'inkan') expect(text).toContain(r.seal!.number);
  if (kind === 'kosekizenbu' && holder === 'fuchu-honseki') for (const n of ['東京都府中市', '府中健', '府中真理']) expect(text).toContain(n);
  if (kind === 'fuhyo' && holder === 'kawasaki-taro') for (const a of r.addressHistory!) expect(text).toContain(squash(a.address));
  if (kind === 'kazei' && holder === 'kawasaki-hanako') expect(text).toContain('非課税');
}
