// Documents for the sample personas, made by the center's real builder (center/documents.ts) from the sample
// registers: what `kiosk print sample`, the printer's tests and the benchmark print. TEST DATA only.
import { createHash } from 'node:crypto';
import { buildCertificates } from '../center/documents.ts';
import { familyRegisterOf, type Resident } from '../center/registry.ts';
import { loadSampleData } from './sample-data.ts';
import { TAX_KINDS, type Certificate, type CertificateRequest, type InfoOptions, type Municipality, type Subtype, type TaxKind } from '../machine/types.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import type { CertificateKind, IssuedCertificate, Receipt, RefundSlip } from '../printer/document.ts';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = [
  'juminhyo', 'kisai', 'inkan', 'kazei', 'shotoku', 'shotoku-kazei', 'nozei', 'koseki-zenbu', 'koseki-kojin', 'fuhyo',
];
export const SAMPLE_TYPES = [...CERTIFICATE_KINDS, 'receipt', 'refund-slip'] as const;
export type SampleType = (typeof SAMPLE_TYPES)[number];

export const SAMPLE_STORE = 'シミュレーター店（テスト）';
export const SAMPLE_TERMINAL = 'K01';

/** The persona cannot have this document: its record lacks what the document shows. */
export class SampleUnavailableError extends Error {
  override readonly name = 'SampleUnavailableError';
  constructor(
    readonly persona: string,
    readonly type: SampleType,
    reason: string,
    /** Personas whose record allows the document. */
    readonly possible: string[],
  ) {
    super(`persona "${persona}" cannot have the ${type} sample: ${reason}. Personas that can: ${possible.join(', ')}`);
  }
}

export interface SampleOptions {
  copies?: number;
  /** ISO time of issuance (default: now). */
  issuedAt?: string;
  issuanceNumber?: string;
  /** Replaces the default information options (世帯主・続柄 and 本籍・筆頭者 on, 個人番号 off). */
  options?: Partial<InfoOptions>;
  /** Replaces the default sub-type (whole household; the latest tax year; the holder's own 戸籍/附票). */
  subtype?: Subtype;
}

/** The tax certificates are kinds of the one tax certificate the kiosk offers ('kazei', chosen on type-select). */
const isTaxKind = (kind: CertificateKind): kind is TaxKind => (TAX_KINDS as readonly string[]).includes(kind);
const certificateOf = (kind: CertificateKind): Certificate => (kind.startsWith('koseki') ? 'koseki' : isTaxKind(kind) ? 'kazei' : (kind as Certificate));
const usesRegister = (kind: CertificateKind) => kind.startsWith('koseki') || kind === 'fuhyo';
const latestTaxYear = (r: Resident) => Math.max(...Object.keys(r.tax ?? {}).map(Number));

/** Why the resident's record cannot give this certificate, or null when it can. */
function lacking(r: Resident | undefined, kind: CertificateKind): string | null {
  const { registry } = loadSampleData();
  if (!r) return 'it has no resident record (the card belongs to nobody in the registers)';
  if (kind === 'inkan' && !r.seal) return 'no seal is registered';
  if (isTaxKind(kind) && !Object.keys(r.tax ?? {}).length) return 'the city holds no tax data for this person';
  if (usesRegister(kind) && !familyRegisterOf(registry, r)) return 'the person is in no family register (戸籍) the center holds';
  return null;
}

const kindOf = (type: SampleType): CertificateKind => (type === 'receipt' || type === 'refund-slip' ? 'juminhyo' : type);

/** Personas whose record allows the document. */
export function personasFor(type: SampleType): string[] {
  const data = loadSampleData();
  return data.personas
    .filter((p) => !lacking(p.resident ? data.registry.residents.get(p.resident) : undefined, kindOf(type)))
    .map((p) => p.id);
}

function residentFor(personaId: string, type: SampleType): Resident {
  const data = loadSampleData();
  const persona = data.persona(personaId);
  const r = persona.resident ? data.registry.residents.get(persona.resident) : undefined;
  const why = lacking(r, kindOf(type));
  if (why) throw new SampleUnavailableError(personaId, type, why, personasFor(type));
  return r!;
}

/** The request a person would make at the kiosk for this certificate, and the city that issues it. */
export function sampleRequest(kind: CertificateKind, personaId: string, opts: SampleOptions = {}): { resident: Resident; request: CertificateRequest; city: Municipality } {
  const data = loadSampleData();
  const resident = residentFor(personaId, kind);
  const register = familyRegisterOf(data.registry, resident);
  // 戸籍 and its 附票 are kept by the city of the 本籍, the rest by the city of residence.
  const code = usesRegister(kind) ? register!.city : data.registry.households.get(resident.household)!.city;
  const city = data.municipalities.find((m) => m.code === code);
  if (!city) throw new SampleUnavailableError(personaId, kind, `no municipality ${code} in the sample data`, personasFor(kind));
  const certificate = certificateOf(kind);
  const subtype: Subtype | null =
    opts.subtype ??
    (kind === 'juminhyo' || kind === 'kisai' ? { kind: 'juminhyo', scope: 'household', members: [] }
    : isTaxKind(kind) ? { kind: 'kazei', year: latestTaxYear(resident), taxKind: kind }
    : kind === 'koseki-zenbu' || kind === 'koseki-kojin' ? { kind: 'koseki', form: kind === 'koseki-kojin' ? 'kojin' : 'zenbu', person: resident.id }
    : kind === 'fuhyo' ? { kind: 'fuhyo', person: resident.id }
    : null);
  const options: InfoOptions = {
    householdHead: true, domicile: true, myNumber: false,
    nationality: !!resident.foreign, residenceStatus: !!resident.foreign, residenceCardNumber: false,
    ...opts.options,
  };
  const request: CertificateRequest = {
    scope: usesRegister(kind) ? 'domicile' : 'residence', city: city.code, certificate, subtype, options,
    copies: opts.copies ?? 1, unitFee: city.certificates[certificate]?.fee ?? 200,
  };
  return { resident, request, city };
}

/** A verification code in the center's form (16 digits), derived from the seed so that samples are repeatable. */
export function sampleVerificationCode(seed: string): string {
  const digits = Array.from(createHash('sha256').update(`sample-code:${seed}`).digest().subarray(0, 16), (b) => b % 10).join('');
  return digits.match(/\d{4}/g)!.join('-');
}

const defaults = (opts: SampleOptions) => {
  const issuedAt = opts.issuedAt ?? new Date().toISOString();
  const day = japanTime(issuedAt).date.replaceAll('-', '');
  return { issuedAt, issuanceNumber: opts.issuanceNumber ?? `SAMPLE-${day}-000001` };
};

/** Every copy of a certificate for the persona, as the center would issue it. */
export function sampleCertificates(kind: CertificateKind, personaId: string, opts: SampleOptions = {}): IssuedCertificate[] {
  const { resident, request, city } = sampleRequest(kind, personaId, opts);
  const { issuedAt, issuanceNumber } = defaults(opts);
  return buildCertificates({
    registry: loadSampleData().registry, resident, request, city, issuanceNumber, issuedAt,
    verificationCode: (copy) => sampleVerificationCode(`${issuanceNumber}:${personaId}:${kind}:${copy}`),
  });
}

/** The 利用明細 after the persona bought copies of their 住民票の写し (all printed). */
export function sampleReceiptFor(personaId: string, opts: SampleOptions = {}): Receipt {
  const { request } = sampleRequest('juminhyo', personaId, opts);
  const { issuedAt, issuanceNumber } = defaults(opts);
  const copies = opts.copies ?? 2;
  const charged = request.unitFee * copies;
  const inserted = Math.ceil(charged / 1000) * 1000;
  return {
    issuanceNumber, issuedAt, storeName: SAMPLE_STORE, terminalId: SAMPLE_TERMINAL,
    lines: [{ title: '住民票の写し', copies, unitFee: request.unitFee, printed: copies }],
    charged, inserted, change: inserted - charged, refunded: 0,
  };
}

/** The refund slip after the last of the persona's copies jammed and the machine could pay nothing back. */
export function sampleRefundSlipFor(personaId: string, opts: SampleOptions = {}): RefundSlip {
  const { request } = sampleRequest('juminhyo', personaId, opts);
  const { issuedAt, issuanceNumber } = defaults(opts);
  const copies = Math.max(2, opts.copies ?? 2);
  const inserted = Math.ceil((request.unitFee * copies) / 1000) * 1000;
  const charged = request.unitFee * (copies - 1);
  return {
    issuanceNumber, issuedAt, storeName: SAMPLE_STORE, terminalId: SAMPLE_TERMINAL,
    amount: inserted - charged,
    failed: [{ title: '住民票の写し', unitFee: request.unitFee, copies, failedCopies: [copies] }],
    reason: '紙詰まり（印刷中に用紙が詰まりました）',
  };
}
