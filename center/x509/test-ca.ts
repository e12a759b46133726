// A test JPKI certification authority: it mints real X.509 v3 certificates for the user-authentication
// keys of virtual My Number Cards, so the center can check a card's signature the way the real JPKI does.
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
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

/** Subject of the test CA, shaped like the real 利用者証明用 CA name with (TEST) marks. */
export const JPKI_USER_AUTH_TEST_CA_NAME =
  'C=JP, O=JPKI, OU=JPKI for user authentication (TEST), OU=Japan Agency for Local Authority Information Systems (TEST)';

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
const KeyUsageBit = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

/**
 * Encodes a distinguished name written as "C=JP, O=JPKI, OU=..." (most significant first, one
 * attribute per RDN). Values may not contain commas. PrintableString is used where the value allows it.
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
      const text = isPrintableString(value) ? derPrintableString(value) : derUtf8String(value);
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
  /** Defaults to JPKI_USER_AUTH_TEST_CA_NAME. */
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

export class TestCa {
  readonly subject: string;
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
    this.subject = options.subject ?? JPKI_USER_AUTH_TEST_CA_NAME;
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
      extensions: [
        extension(OID.basicConstraints, true, derSequence(derBoolean(true))),
        extension(OID.keyUsage, true, derNamedBits([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign])),
        extension(OID.subjectKeyIdentifier, false, derOctetString(this.keyIdentifier)),
        extension(OID.authorityKeyIdentifier, false, derSequence(derImplicit(0, this.keyIdentifier))),
      ],
    });
  }

  /**
   * A 利用者証明用 (user-authentication) certificate. Its subject is only `C=JP, CN=<serial hex>`, because the
   * real ones carry no personal data; the center maps the certificate to a resident by its serial.
   */
  issueUserAuthCertificate(request: UserAuthCertificateRequest): Buffer {
    requireRsaKey(request?.publicKey, 'public', 'the user-authentication key');
    checkSerial(request.serial);
    checkValidity(request.notBefore, request.notAfter);
    const spki = request.publicKey.export({ type: 'spki', format: 'der' });
    const der = this.#sign({
      serial: request.serial,
      subject: encodeDistinguishedName(`C=JP, CN=${request.serial.toString(16).toUpperCase()}`),
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      spki,
      extensions: [
        extension(OID.keyUsage, true, derNamedBits([KeyUsageBit.digitalSignature])),
        extension(OID.basicConstraints, false, derSequence()),
        extension(OID.subjectKeyIdentifier, false, derOctetString(keyIdentifier(spki))),
        extension(OID.authorityKeyIdentifier, false, derSequence(derImplicit(0, this.keyIdentifier))),
      ],
    });
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
