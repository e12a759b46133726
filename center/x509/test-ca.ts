// A test JPKI certification authority: it mints real X.509 v3 certificates for the keys of virtual My Number Cards,
// so the center can check a card's signature the way the real JPKI does, and shaped as real ones are (jpki-profile.ts:
// the names, the extensions, the signature certificate's personal data), so that a client reads them as it would a
// real card's.
import { createHash, createPublicKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import {
  derBoolean,
  derChildren,
  derExplicit,
  derImplicit,
  derInteger,
  derNamedBits,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derTime,
  derUtf8String,
  derBitString,
  derNull,
  decodeDerBitString,
  isPrintableString,
  parseDer,
} from './der.ts';
import {
  authCommonName, crlPointByName, directoryName, JPKI_SIM_CA_ALT_NAME, JPKI_SIM_CA_NAME, ocspAccess, personalDataAltName, policies, signCommonName,
  type JpkiPurpose, type SignatureHolder,
} from './jpki-profile.ts';

/** Subject of the test CA: the real 利用者証明用 CA name's shape, under a fictional O. */
export const JPKI_USER_AUTH_TEST_CA_NAME = JPKI_SIM_CA_NAME.auth;

/** The CA was given something it cannot sign with, or asked for a certificate that cannot exist. */
export class CertificateIssueError extends Error {
  override readonly name = 'CertificateIssueError';
}

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  extendedKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
};

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
const KeyUsageBit = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

/**
 * Encodes a distinguished name written as "C=JP, O=JPKI, OU=..." (most significant first, one attribute per RDN).
 * Values may not contain commas. C is a PrintableString, every other value a UTF8String, as in real JPKI names.
 */
export function encodeDistinguishedName(name: string): Buffer {
  const rdns = name.split(',').map((part) => part.trim());
  return derSequence(
    ...rdns.map((rdn) => {
      const match = /^([A-Za-z]+)=(.+)$/.exec(rdn);
      const oid = match && ATTRIBUTE_OIDS[match[1]!.toUpperCase()];
      if (!match || !oid) {
        throw new CertificateIssueError(
          `"${rdn}" in the name "${name}" is not KEY=value with a known key (${Object.keys(ATTRIBUTE_OIDS).join(', ')})`,
        );
      }
      const value = match[2]!.trim();
      if (match[1]!.toUpperCase() === 'C' && !/^[A-Z]{2}$/.test(value)) {
        throw new CertificateIssueError(`country "${value}" must be two capital letters such as JP`);
      }
      const text = match[1]!.toUpperCase() === 'C' && isPrintableString(value) ? derPrintableString(value) : derUtf8String(value);
      return derSet(derSequence(derOid(oid), text));
    }),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // critical is DEFAULT FALSE, and DER omits default values.
  return critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value));
}

function requireRsaKey(key: KeyObject, type: 'private' | 'public', role: string): void {
  if (key?.type !== type || key.asymmetricKeyType !== 'rsa') {
    throw new CertificateIssueError(`${role} must be an RSA ${type} KeyObject (got ${key?.type ?? typeof key} ${key?.asymmetricKeyType ?? ''}); JPKI uses RSA`);
  }
}

/** RFC 5280 method 1: SHA-1 over the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
  const [, subjectPublicKey] = derChildren(parseDer(spki));
  return createHash('sha1').update(decodeDerBitString(subjectPublicKey!).bytes).digest();
}

function checkSerial(serial: bigint): void {
  // RFC 5280 4.1.2.2: positive, at most 20 octets.
  if (typeof serial !== 'bigint' || serial <= 0n || serial >= 1n << 159n) {
    throw new CertificateIssueError(`serial ${String(serial)} must be a positive bigint of at most 20 bytes`);
  }
}

function checkValidity(notBefore: Date, notAfter: Date): void {
  if (!(notBefore instanceof Date) || !(notAfter instanceof Date) || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new CertificateIssueError('notBefore and notAfter must be valid Dates');
  }
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new CertificateIssueError(`notAfter (${notAfter.toISOString()}) must be later than notBefore (${notBefore.toISOString()})`);
  }
}

export interface TestCaOptions {
  /** The CA's RSA private key (kept private to the instance). */
  privateKey: KeyObject;
  /** 利用者証明用 (auth, the default) or 署名用 (sign): the CA's names and its leaves' profile. */
  purpose?: JpkiPurpose;
  /** Defaults to the purpose's JPKI_SIM_CA_NAME. */
  subject?: string;
  /** Serial of the self-signed CA certificate; defaults to 1. */
  serial?: bigint;
  notBefore?: Date;
  notAfter?: Date;
}

export interface UserAuthCertificateRequest {
  /** The card's user-authentication public key (RSA). */
  publicKey: KeyObject;
  serial: bigint;
  notBefore: Date;
  notAfter: Date;
}

export interface SignatureCertificateRequest extends UserAuthCertificateRequest {
  holder: SignatureHolder;
  /** The 6-digit code of the municipality that took the issue request (the CN's counter code). */
  cityCode: string;
}

export class TestCa {
  readonly subject: string;
  readonly purpose: JpkiPurpose;
  /** The self-signed CA certificate, DER. */
  readonly certificate: Buffer;
  readonly publicKey: KeyObject;
  /** SubjectKeyIdentifier of the CA; user certificates carry it as their authorityKeyIdentifier. */
  readonly keyIdentifier: Buffer;
  readonly #privateKey: KeyObject;
  readonly #name: Buffer;

  constructor(options: TestCaOptions) {
    requireRsaKey(options?.privateKey, 'private', 'the CA key');
    this.#privateKey = options.privateKey;
    this.purpose = options.purpose ?? 'auth';
    this.subject = options.subject ?? JPKI_SIM_CA_NAME[this.purpose];
    this.#name = encodeDistinguishedName(this.subject);
    this.publicKey = createPublicKey(options.privateKey);
    const spki = this.publicKey.export({ type: 'spki', format: 'der' });
    this.keyIdentifier = keyIdentifier(spki);

    const serial = options.serial ?? 1n;
    const notBefore = options.notBefore ?? new Date('2020-01-01T00:00:00Z');
    const notAfter = options.notAfter ?? new Date('2045-12-31T23:59:59Z');
    checkSerial(serial);
    checkValidity(notBefore, notAfter);
    this.certificate = this.#sign({
      serial,
      subject: this.#name,
      notBefore,
      notAfter,
      spki,
      // As the real CA certificates' (§13.5): no authorityKeyIdentifier; the name again in Japanese; the CRL named by the DN.
      extensions: [
        extension(OID.keyUsage, true, derNamedBits([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign])),
        extension(OID.basicConstraints, true, derSequence(derBoolean(true))),
        extension(OID.subjectAltName, false, directoryName(encodeDistinguishedName(JPKI_SIM_CA_ALT_NAME[this.purpose]))),
        extension(OID.crlDistributionPoints, false, crlPointByName(this.#name)),
        extension(OID.subjectKeyIdentifier, false, derOctetString(this.keyIdentifier)),
      ],
    });
  }

  /**
   * A 利用者証明用 (user-authentication) certificate. Its subject is `C=JP, CN=<23 opaque characters>`, because the
   * real ones carry no personal data; the center maps the certificate to a resident by its serial.
   */
  issueUserAuthCertificate(request: UserAuthCertificateRequest): Buffer {
    const spki = this.#checkLeaf(request);
    return this.#leaf({
      serial: request.serial,
      subject: encodeDistinguishedName(`C=JP, CN=${authCommonName(request.serial)}`),
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      spki,
      extensions: [
        extension(OID.keyUsage, true, derNamedBits([KeyUsageBit.digitalSignature])),
        extension(OID.extendedKeyUsage, false, derSequence(derOid(OID.clientAuth))),
        ...this.#commonLeafExtensions(spki, encodeDistinguishedName(`${JPKI_SIM_CA_NAME.auth.replace(/, OU=Japan Agency.*$/, '')}, OU=CRL Distribution Points`)),
      ],
    });
  }

  /**
   * A 署名用 (signature) certificate: the holder's prefecture and city in its subject, and their name, sex, date of
   * birth and address in its subjectAltName (six otherNames under J-LIS's OIDs), which is what signing software reads.
   */
  issueSignatureCertificate(request: SignatureCertificateRequest): Buffer {
    const spki = this.#checkLeaf(request);
    const { place } = request.holder;
    for (const v of [place.prefecture, place.city]) if (!/^[A-Za-z][A-Za-z -]{0,40}$/.test(v)) throw new CertificateIssueError(`"${v}" is not a place name in romaji`);
    if (!/^\d{6}$/.test(request.cityCode)) throw new CertificateIssueError(`city code "${request.cityCode}" must be 6 digits`);
    return this.#leaf({
      serial: request.serial,
      subject: encodeDistinguishedName(`C=JP, L=${place.prefecture}, L=${place.city}, CN=${signCommonName(request.notBefore, request.serial, request.cityCode)}`),
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      spki,
      extensions: [
        extension(OID.keyUsage, true, derNamedBits([KeyUsageBit.digitalSignature, KeyUsageBit.nonRepudiation])),
        extension(OID.subjectAltName, false, personalDataAltName(request.holder)),
        ...this.#commonLeafExtensions(spki, encodeDistinguishedName(
          `${JPKI_SIM_CA_NAME.sign.replace(/, OU=Japan Agency.*$/, '')}, OU=CRL Distribution Points, OU=${place.prefecture}, CN=${place.city} CRLDP`,
        )),
      ],
    });
  }

  #checkLeaf(request: UserAuthCertificateRequest): Buffer {
    requireRsaKey(request?.publicKey, 'public', 'the card\'s key');
    checkSerial(request.serial);
    checkValidity(request.notBefore, request.notAfter);
    return request.publicKey.export({ type: 'spki', format: 'der' });
  }

  /** What both leaves carry: the policy, the CA's name in Japanese, the CRL, the OCSP responder, the key ids. */
  #commonLeafExtensions(spki: Buffer, crl: Buffer): Buffer[] {
    return [
      extension(OID.certificatePolicies, false, policies(this.purpose)),
      extension(OID.issuerAltName, false, directoryName(encodeDistinguishedName(JPKI_SIM_CA_ALT_NAME[this.purpose]))),
      extension(OID.crlDistributionPoints, false, crlPointByName(crl)),
      extension(OID.authorityInfoAccess, false, ocspAccess(this.purpose)),
      extension(OID.subjectKeyIdentifier, false, derOctetString(keyIdentifier(spki))),
      extension(OID.authorityKeyIdentifier, false, derSequence(derImplicit(0, this.keyIdentifier))),
    ];
  }

  #leaf(parts: { serial: bigint; subject: Buffer; notBefore: Date; notAfter: Date; spki: Buffer; extensions: Buffer[] }): Buffer {
    const der = this.#sign(parts);
    // Card clients learn the EF size from `30 82 HH LL` alone (OpenSC assumes it), so no other form may leave here.
    if (der[0] !== 0x30 || der[1] !== 0x82) {
      throw new CertificateIssueError(
        `the certificate is ${der.length} bytes, so its header is not 30 82 HH LL as card clients require; use RSA-2048 keys`,
      );
    }
    return der;
  }

  #sign(parts: { serial: bigint; subject: Buffer; notBefore: Date; notAfter: Date; spki: Buffer; extensions: Buffer[] }): Buffer {
    const algorithm = derSequence(derOid(OID.sha256WithRSAEncryption), derNull());
    const tbs = derSequence(
      derExplicit(0, derInteger(2n)), // v3
      derInteger(parts.serial),
      algorithm,
      this.#name,
      derSequence(derTime(parts.notBefore), derTime(parts.notAfter)),
      parts.subject,
      parts.spki,
      derExplicit(3, derSequence(...parts.extensions)),
    );
    // For an RSA key, crypto.sign uses PKCS#1 v1.5, i.e. sha256WithRSAEncryption.
    const signature = sign('sha256', tbs, this.#privateKey);
    return derSequence(tbs, algorithm, derBitString(signature));
  }
}

/**
 * A CA's certificate parsed once per process: every SimCenter and CardLife trusts the same two CAs, and parsing them
 * again for each journey's center was a tenth of a headless journey's time. Only for certificates a process holds
 * few of (its CAs), never a card's, which come and go.
 */
const parsedCas = new Map<string, X509Certificate>();
export function caCertificate(der: Buffer | string): X509Certificate {
  const key = typeof der === 'string' ? der : der.toString('base64');
  let cert = parsedCas.get(key);
  if (!cert) {
    if (parsedCas.size >= 16) parsedCas.clear();
    cert = new X509Certificate(der);
    parsedCas.set(key, cert);
  }
  return cert;
}
