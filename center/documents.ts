// What each certificate says, built from the registers for one request. Layout is the printer's business; the
// choice of what is printed (members, 世帯主・続柄, 本籍, 個人番号...) is made here, from the request. The
// 住民票コード is never printed: no builder below reads it.
import type { CertificateRequest, Municipality, TaxKind } from '../machine/types.ts';
import type { CertificateKind, IssuedCertificate, RecordField } from '../printer/document.ts';
import { taxKindOf } from '../machine/rules/catalog.ts';
import { eraDate } from '../machine/rules/japan-time.ts';
import {
  familyRegisterOf, householdOf, householdOfResident, resident as residentById, type Registry, type RegisterMember, type Resident, type TaxRecord,
} from './registry.ts';

export const TITLES: Record<CertificateKind, string> = {
  juminhyo: '住民票の写し',
  kisai: '住民票記載事項証明書',
  inkan: '印鑑登録証明書',
  kazei: '課税・非課税証明書',
  shotoku: '所得証明書',
  'shotoku-kazei': '所得・課税証明書',
  nozei: '納税証明書',
  'koseki-zenbu': '戸籍全部事項証明書',
  'koseki-kojin': '戸籍個人事項証明書',
  fuhyo: '戸籍の附票の写し',
};

/** The 住民票's certification names the one scope it copies: the whole household, or a part of it. */
function certificationOf(kind: CertificateKind, req: CertificateRequest): string {
  if (kind !== 'juminhyo') return CERTIFICATION[kind];
  const whole = req.subtype?.kind !== 'juminhyo' || req.subtype.scope === 'household';
  return whole ? 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。' : 'この写しは、世帯の一部の住民票の原本と相違ないことを証明する。';
}

const CERTIFICATION: Record<CertificateKind, string> = {
  juminhyo: 'この写しは、世帯全員又は一部の住民票の原本と相違ないことを証明する。',
  kisai: '上記の事項は、住民票の記載事項と相違ないことを証明する。',
  inkan: 'この写しは、登録されている印影と相違ないことを証明する。',
  kazei: '上記のとおり相違ないことを証明する。',
  shotoku: '上記のとおり相違ないことを証明する。',
  'shotoku-kazei': '上記のとおり相違ないことを証明する。',
  nozei: '上記のとおり相違ないことを証明する。',
  'koseki-zenbu': 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  'koseki-kojin': 'これは、戸籍中の一部の者について記録されている事項を証明した書面である。',
  fuhyo: 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
};

/** The document a request prints: 戸籍 by its form, a tax certificate by its kind (the city's first when unnamed). */
export function documentKind(req: CertificateRequest, city: Pick<Municipality, 'taxKinds'>): CertificateKind {
  if (req.certificate === 'koseki') return req.subtype?.kind === 'koseki' && req.subtype.form === 'kojin' ? 'koseki-kojin' : 'koseki-zenbu';
  if (req.certificate === 'kazei') return taxKindOf(req.subtype, city);
  return req.certificate;
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const field = (label: string, value: string): RecordField => ({ label, value });

/** One person's block on a 住民票: the holder's own options (個人番号, foreign residents' fields) apply to them only. */
function residentFields(reg: Registry, m: Resident, holder: Resident, req: CertificateRequest): RecordField[] {
  const o = req.options;
  const f: RecordField[] = [
    field('氏名', m.name),
    ...(m.kana ? [field('フリガナ', m.kana)] : []),
    field('生年月日', eraDate(m.birthDate)),
    field('性別', m.sex ?? '―'),
  ];
  if (o?.householdHead) f.push(field('続柄', m.relationship));
  f.push(field('住民となった年月日', eraDate(m.residentSince)));
  const register = familyRegisterOf(reg, m);
  if (o?.domicile && register) f.push(field('本籍', register.honseki), field('筆頭者', register.hittosha));
  // The 個人番号 is printed only for the holder's own record, and only where the city allows it (the center has
  // refused the request otherwise).
  if (o?.myNumber && m.id === holder.id && m.myNumber) f.push(field('個人番号', m.myNumber));
  if (m.foreign && m.id === holder.id) {
    if (o?.nationality) f.push(field('国籍・地域', m.foreign.nationality));
    if (o?.residenceStatus) {
      f.push(field('在留資格', m.foreign.residenceStatus));
      // A permanent resident has no period of stay: no expiry date is printed.
      if (!isPermanent(m.foreign.residenceStatus)) f.push(field('在留期間等の満了の日', m.foreign.stayUntil));
    }
    if (o?.residenceCardNumber) f.push(field('在留カード等の番号', m.foreign.residenceCardNumber));
  }
  return f;
}

/**
 * The resident tax's name as the city levies it: the municipality's part (特別区民税 in Tokyo's 23 wards, 市民税,
 * 町民税, 村民税) and the prefecture's (都民税, 道民税, 府民税, 県民税).
 */
export function residentTaxName(city: Pick<Municipality, 'name' | 'prefecture'>): string {
  const local = city.name.endsWith('区') && city.prefecture === '東京都' ? '特別区民税' : `${city.name.endsWith('町') ? '町' : city.name.endsWith('村') ? '村' : '市'}民税`;
  const pref = city.prefecture.endsWith('都') ? '都' : city.prefecture.endsWith('道') ? '道' : city.prefecture.endsWith('府') ? '府' : '県';
  return `${local}・${pref}民税`;
}

/** 永住者 and 特別永住者 stay without a period of stay. */
export const isPermanent = (residenceStatus: string): boolean => residenceStatus === '永住者' || residenceStatus === '特別永住者';

function juminhyoPeople(reg: Registry, r: Resident, req: CertificateRequest): Resident[] {
  const all = householdOf(reg, r.household);
  const st = req.subtype?.kind === 'juminhyo' ? req.subtype : null;
  if (!st || st.scope === 'household') return all;
  if (st.scope === 'self') return [r];
  return all.filter((m) => m.id === r.id || st.members.includes(m.id));
}

/** A member of a 戸籍: its 続柄 is to the parents (長男, 長女), the marriage is its 配偶者区分; a 戸籍 has no 性別 field. */
function registerMember(m: RegisterMember): RecordField[] {
  return [field('氏名', m.name), field('生年月日', eraDate(m.birthDate)), ...(m.spouse ? [field('配偶者区分', m.spouse)] : []), field('続柄', m.relationship)];
}

/** The income part of a tax certificate: the total income, the deductions the city holds, their sum, the dependants. */
function incomeFields(t: TaxRecord): RecordField[] {
  const deductions = Object.entries(t.deductions ?? {});
  return [
    field('総所得金額', yen(t.income)),
    ...deductions.map(([name, amount]) => field(name, yen(amount))),
    ...(t.deductions ? [field('所得控除額合計', yen(deductions.reduce((sum, [, amount]) => sum + amount, 0)))] : []),
    ...(t.dependents !== undefined ? [field('扶養親族数', `${t.dependents}人`)] : []),
  ];
}

/** The tax part: the levy by its two parts and whether anything is levied. */
function levyFields(t: TaxRecord, city: Pick<Municipality, 'name' | 'prefecture'>): RecordField[] {
  const levied = t.incomeLevy + t.perCapitaLevy > 0;
  return [field(`${residentTaxName(city)} 所得割額`, yen(t.incomeLevy)), field('均等割額', yen(t.perCapitaLevy)), field('課税区分', levied ? '課税' : '非課税')];
}

/**
 * A tax certificate's record for the year chosen. 課税・非課税証明書: the income and the tax (as before kinds
 * existed); 所得証明書: the income and the deductions, no tax; 所得・課税証明書: both; 納税証明書: the tax levied
 * for the year, what is paid and what is not (an instalment not yet due counts as unpaid), no income.
 */
function taxRecord(kind: TaxKind, r: Resident, year: number, home: string, city: Pick<Municipality, 'name' | 'prefecture'>): Pick<IssuedCertificate, 'header' | 'people'> {
  const t = r.tax?.[year];
  if (!t) throw new RangeError(`no tax record for ${r.id} in ${year}`);
  const person = [field('氏名', r.name), field('生年月日', eraDate(r.birthDate))];
  if (kind === 'nozei') {
    const levy = t.incomeLevy + t.perCapitaLevy;
    const paid = Math.min(t.paid ?? levy, levy);
    return {
      header: [field('年度', `${year}年度`), field('税目', `${residentTaxName(city)}（個人）`), field('住所', home)],
      people: [[...person, field('税額', yen(levy)), field('納付済額', yen(paid)), field('未納額', yen(levy - paid))]],
    };
  }
  const header = [field('年度', `${year}年度（${year - 1}年分所得）`), field('住所', home)];
  if (kind === 'shotoku') return { header, people: [[...person, ...incomeFields(t)]] };
  if (kind === 'shotoku-kazei') return { header, people: [[...person, ...incomeFields(t), ...levyFields(t, city)]] };
  return { header, people: [[...person, field('総所得金額', yen(t.income)), ...levyFields(t, city)]] };
}

/** The record's content for one certificate (the same for every copy). */
export function recordOf(
  reg: Registry, r: Resident, req: CertificateRequest, city: Pick<Municipality, 'name' | 'prefecture' | 'taxKinds'>,
): Pick<IssuedCertificate, 'header' | 'people' | 'sealImpression'> {
  const kind = documentKind(req, city);
  const home = householdOfResident(reg, r);
  switch (kind) {
    case 'juminhyo':
    case 'kisai': {
      const head = householdOf(reg, r.household)[0];
      return {
        header: [field('住所', home.address), ...(req.options?.householdHead ? [field('世帯主', head.name)] : [])],
        people: juminhyoPeople(reg, r, req).map((m) => residentFields(reg, m, r, req)),
      };
    }
    case 'inkan': {
      const seal = r.seal!;
      return {
        header: [field('住所', home.address)],
        people: [[field('氏名', r.name), field('生年月日', eraDate(r.birthDate)), field('登録番号', `第${seal.number}号`), field('登録年月日', eraDate(seal.registeredOn))]],
        sealImpression: { text: seal.impression, registrationNumber: seal.number },
      };
    }
    case 'kazei':
    case 'shotoku':
    case 'shotoku-kazei':
    case 'nozei':
      return taxRecord(kind, r, req.subtype?.kind === 'kazei' ? req.subtype.year : 0, home.address, city);
    case 'koseki-zenbu':
    case 'koseki-kojin': {
      const register = familyRegisterOf(reg, r)!;
      const chosen = kind === 'koseki-kojin' && req.subtype?.kind === 'koseki' ? (req.subtype.person ?? r.id) : null;
      const people = chosen ? register.members.filter((m) => m.id === chosen) : register.members;
      return {
        header: [field('本籍', register.honseki), field('氏名', register.hittosha)],
        people: people.map(registerMember),
      };
    }
    case 'fuhyo': {
      const register = familyRegisterOf(reg, r)!;
      const chosen = req.subtype?.kind === 'fuhyo' ? req.subtype.person : r.id;
      const m = register.members.find((x) => x.id === chosen)!;
      // The 附票 follows the person's addresses since entering this register; a member who is no resident
      // anywhere has no history the center holds.
      const history = reg.residents.has(m.id) ? residentById(reg, m.id).addressHistory ?? [] : [];
      return {
        header: req.options?.domicile ? [field('本籍', register.honseki), field('筆頭者', register.hittosha)] : [],
        people: [[
          field('氏名', m.name), field('生年月日', eraDate(m.birthDate)),
          ...history.flatMap((h) => [field('住所', h.address), field('住所を定めた年月日', eraDate(h.from))]),
        ]],
      };
    }
  }
}

export function buildCertificates(args: {
  registry: Registry; resident: Resident; request: CertificateRequest; city: Municipality; issuanceNumber: string;
  verificationCode: (copy: number) => string; issuedAt: string;
}): IssuedCertificate[] {
  const { request, city } = args;
  const kind = documentKind(request, city);
  const record = recordOf(args.registry, args.resident, request, city);
  return Array.from({ length: request.copies }, (_, i) => ({
    kind,
    title: TITLES[kind],
    issuanceNumber: args.issuanceNumber,
    verificationCode: args.verificationCode(i + 1),
    copyIndex: i + 1,
    copies: request.copies,
    issuedAt: args.issuedAt,
    municipality: { name: city.name, mayor: city.mayor },
    ...record,
    certification: certificationOf(kind, request),
  }));
}
