// What each certificate says, built from the register for one request. Layout is the printer's business;
// the choice of what is printed (members, 世帯主・続柄, 本籍, 個人番号...) is made here, from the request.
import type { CertificateRequest, Municipality } from '../machine/types.ts';
import type { CertificateKind, IssuedCertificate, RecordField } from '../printer/document.ts';
import { eraDate } from '../printer/layout/japan-date.ts';
import { familyRegisterOf, householdOf, type Member, type ResidentRecord } from './residents.ts';

export const TITLES: Record<CertificateKind, string> = {
  juminhyo: '住民票の写し',
  kisai: '住民票記載事項証明書',
  inkan: '印鑑登録証明書',
  kazei: '課税・非課税証明書',
  'koseki-zenbu': '戸籍全部事項証明書',
  'koseki-kojin': '戸籍個人事項証明書',
  fuhyo: '戸籍の附票の写し',
};

const CERTIFICATION: Record<CertificateKind, string> = {
  juminhyo: 'この写しは、世帯全員又は一部の住民票の原本と相違ないことを証明する。',
  kisai: '上記の事項は、住民票の記載事項と相違ないことを証明する。',
  inkan: 'この写しは、登録されている印影と相違ないことを証明する。',
  kazei: '上記のとおり相違ないことを証明する。',
  'koseki-zenbu': 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  'koseki-kojin': 'これは、戸籍中の一部の者について記録されている事項を証明した書面である。',
  fuhyo: 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
};

export function documentKind(req: CertificateRequest): CertificateKind {
  if (req.certificate === 'koseki') return req.subtype?.kind === 'koseki' && req.subtype.form === 'kojin' ? 'koseki-kojin' : 'koseki-zenbu';
  return req.certificate;
}

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

function memberFields(m: Member, r: ResidentRecord, req: CertificateRequest): RecordField[] {
  const o = req.options;
  const f: RecordField[] = [
    { label: '氏名', value: m.name },
    ...(m.kana ? [{ label: 'フリガナ', value: m.kana }] : []),
    { label: '生年月日', value: eraDate(m.birthDate) },
    { label: '性別', value: m.sex ?? '―' },
  ];
  if (o?.householdHead) f.push({ label: '続柄', value: m.relationship });
  if (o?.domicile && r.domicileAddress) f.push({ label: '本籍', value: r.domicileAddress });
  // The 個人番号 is printed only for the holder's own record and only where the city allows it.
  if (o?.myNumber && m.id === r.id && r.myNumber) f.push({ label: '個人番号', value: r.myNumber });
  if (r.foreign && m.id === r.id) {
    if (o?.nationality && r.nationality) f.push({ label: '国籍・地域', value: r.nationality });
    if (o?.residenceStatus && r.residenceStatus) f.push({ label: '在留資格', value: r.residenceStatus });
    if (o?.residenceCardNumber && r.residenceCardNumber) f.push({ label: '在留カード等の番号', value: r.residenceCardNumber });
  }
  return f;
}

function juminhyoPeople(r: ResidentRecord, req: CertificateRequest): Member[] {
  const all = householdOf(r);
  const st = req.subtype?.kind === 'juminhyo' ? req.subtype : null;
  if (!st || st.scope === 'household') return all;
  if (st.scope === 'self') return all.filter((m) => m.id === r.id);
  return all.filter((m) => m.id === r.id || st.members.includes(m.id));
}

/** The record's content for one certificate (the same for every copy). */
export function recordOf(r: ResidentRecord, req: CertificateRequest): Pick<IssuedCertificate, 'header' | 'people'> {
  const kind = documentKind(req);
  const head = householdOf(r).find((m) => m.relationship === '世帯主') ?? householdOf(r)[0];
  switch (kind) {
    case 'juminhyo':
    case 'kisai':
      return {
        header: [
          { label: '住所', value: r.address },
          ...(req.options?.householdHead ? [{ label: '世帯主', value: head.name }] : []),
        ],
        people: juminhyoPeople(r, req).map((m) => memberFields(m, r, req)),
      };
    case 'inkan':
      return {
        header: [{ label: '住所', value: r.address }],
        people: [[
          { label: '氏名', value: r.name },
          { label: '生年月日', value: eraDate(r.birthDate) },
          { label: '登録番号', value: `第${Number(BigInt('0x' + Buffer.from(r.id).toString('hex').slice(0, 8)) % 1000000n)}号` },
          { label: '印影', value: `［${r.name.split(/\s/)[0]}］` },
        ]],
      };
    case 'kazei': {
      const year = req.subtype?.kind === 'kazei' ? req.subtype.year : new Date().getFullYear();
      const income = r.income ?? 0;
      return {
        header: [
          { label: '年度', value: `${year}年度（${year - 1}年分所得）` },
          { label: '住所', value: r.address },
        ],
        people: [[
          { label: '氏名', value: r.name },
          { label: '総所得金額', value: yen(income) },
          { label: '市民税・県民税 所得割額', value: yen(Math.floor(income * 0.1 / 100) * 100) },
          { label: '均等割額', value: income > 0 ? yen(6200) : yen(0) },
          { label: '課税区分', value: income > 0 ? '課税' : '非課税' },
        ]],
      };
    }
    case 'koseki-zenbu':
    case 'koseki-kojin':
    case 'fuhyo': {
      const register = familyRegisterOf(r);
      const chosen = req.subtype?.kind === 'koseki' && req.subtype.form === 'kojin' ? req.subtype.person
        : req.subtype?.kind === 'fuhyo' ? req.subtype.person : null;
      const people = chosen ? register.filter((m) => m.id === chosen) : register;
      const leader = register.find((m) => m.relationship === '筆頭者') ?? register[0];
      const showDomicile = kind !== 'fuhyo' || !!req.options?.domicile;
      return {
        header: [
          ...(showDomicile ? [{ label: '本籍', value: r.domicileAddress ?? '―' }, { label: '筆頭者', value: leader.name }] : []),
        ],
        people: people.map((m) => [
          { label: '氏名', value: m.name },
          { label: '生年月日', value: eraDate(m.birthDate) },
          { label: kind === 'fuhyo' ? '住所' : '続柄', value: kind === 'fuhyo' ? r.address : m.relationship },
        ]),
      };
    }
  }
}

export function titleOf(req: CertificateRequest): string {
  return TITLES[documentKind(req)];
}

export function buildCertificates(args: {
  resident: ResidentRecord; request: CertificateRequest; city: Municipality; issuanceNumber: string;
  verificationCode: (copy: number) => string; issuedAt: string;
}): IssuedCertificate[] {
  const { resident, request, city } = args;
  const kind = documentKind(request);
  const record = recordOf(resident, request);
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
    certification: CERTIFICATION[kind],
  }));
}
