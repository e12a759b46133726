import { execFileSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDerInteger, decodeDerOid, decodeDerTime, derChildren, parseDer } from './der.ts';
import { CertificateIssueError, JPKI_USER_AUTH_TEST_CA_NAME, TestCa } from './test-ca.ts';
import { authCommonName, birthDateValue, eraDigit, JPKI_OID } from './jpki-profile.ts';


const NOT_BEFORE = new Date('2025-04-01T00:00:00Z');
const NOT_AFTER = new Date('2030-03-31T14:59:59Z');
const SERIAL = 0x0123456789abcdefn;

let ca: TestCa;
let caKey: KeyObject;
let userPublicKey: KeyObject;
let userCert: Buffer;
let workDir: string;
let strangerPublicKey: KeyObject;
let ecPublicKey: KeyObject;

beforeAll(() => {
  caKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  userPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  ca = new TestCa({ privateKey: caKey });
  userCert = ca.issueUserAuthCertificate({ publicKey: userPublicKey, serial: SERIAL, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
  strangerPublicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  ecPublicKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  workDir = mkdtempSync(join(tmpdir(), 'test-ca-'));
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The extensions of a certificate as { oid: { critical, value } } via our own DER reader. */
function extensions(der: Buffer): Record<string, { critical: boolean; value: Buffer }> {
  const [tbs] = derChildren(parseDer(der));
  const explicit3 = derChildren(tbs!).find((e) => e.tag === 0xa3)!;
  const result: Record<string, { critical: boolean; value: Buffer }> = {};
  for (const ext of derChildren(derChildren(explicit3)[0]!)) {
    const parts = derChildren(ext);
    result[decodeDerOid(parts[0]!)] = { critical: parts.length === 3, value: parts[parts.length - 1]!.content };
  }
  return result;
}

describe('TestCa certificate', () => {
  it('is a self-signed CA certificate node parses and verifies', () => {
    const cert = new X509Certificate(ca.certificate);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.subject.split('\n')).toEqual([
      'C=JP',
      'O=JPKI-SIM',
      'OU=JPKI for user authentication',
      'OU=Japan Agency for Local Authority Information Systems',
    ]);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(ca.publicKey.export({ type: 'spki', format: 'der' }));
    expect(ca.subject).toBe(JPKI_USER_AUTH_TEST_CA_NAME);
  });

  it('has basicConstraints CA:TRUE and keyUsage keyCertSign|cRLSign, both critical', () => {
    const ext = extensions(ca.certificate);
    expect(ext['2.5.29.19']).toEqual({ critical: true, value: Buffer.from('30030101FF', 'hex') });
    expect(ext['2.5.29.15']).toEqual({ critical: true, value: Buffer.from('03020106', 'hex') });
    expect(ext['2.5.29.14']!.value.subarray(2)).toEqual(ca.keyIdentifier);
  });

  it('is byte-for-byte reproducible from the same key (deterministic signatures, fixed default dates)', () => {
    expect(new TestCa({ privateKey: caKey }).certificate).toEqual(ca.certificate);
  });
});

describe('issueUserAuthCertificate', () => {
  it('starts with the long-form header 30 82 HH LL that card clients size the EF from', () => {
    expect(userCert[0]).toBe(0x30);
    expect(userCert[1]).toBe(0x82);
    expect(userCert.readUInt16BE(2) + 4).toBe(userCert.length);
  });

  it('parses with node and verifies against the CA public key, not against another key', () => {
    const cert = new X509Certificate(userCert);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.verify(strangerPublicKey)).toBe(false);
    expect(cert.checkIssued(new X509Certificate(ca.certificate))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(userPublicKey.export({ type: 'spki', format: 'der' }));
  });

  it('carries an opaque 23-character CN of [0-9A-Z], the same for the same serial, and no personal data', () => {
    const cert = new X509Certificate(userCert);
    expect(cert.serialNumber).toBe('0123456789ABCDEF');
    expect(authCommonName(SERIAL)).toMatch(/^[0-9A-Z]{23}$/);
    expect(authCommonName(SERIAL + 1n)).not.toBe(authCommonName(SERIAL));
    expect(cert.subject).toBe(`C=JP\nCN=${authCommonName(SERIAL)}`);
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.issuer).toBe(new X509Certificate(ca.certificate).subject);
  });

  it('round-trips serial and validity through our DER reader and node', () => {
    const tbs = derChildren(derChildren(parseDer(userCert))[0]!);
    expect(decodeDerInteger(tbs[1]!)).toBe(SERIAL);
    const [from, to] = derChildren(tbs[4]!);
    expect(decodeDerTime(from!)).toEqual(NOT_BEFORE);
    expect(decodeDerTime(to!)).toEqual(NOT_AFTER);
    const cert = new X509Certificate(userCert);
    expect(new Date(cert.validFrom)).toEqual(NOT_BEFORE);
    expect(new Date(cert.validTo)).toEqual(NOT_AFTER);
  });

  it('writes a notAfter from 2050 as GeneralizedTime and node still reads it', () => {
    const late = new Date('2051-06-30T00:00:00Z');
    const der = ca.issueUserAuthCertificate({ publicKey: userPublicKey, serial: 7n, notBefore: NOT_BEFORE, notAfter: late });
    const [, to] = derChildren(derChildren(derChildren(parseDer(der))[0]!)[4]!);
    expect(to!.tag).toBe(0x18);
    expect(new Date(new X509Certificate(der).validTo)).toEqual(late);
  });

  it('has keyUsage digitalSignature (critical), the auth policy, the OCSP responder and the CA key id; 1,571 bytes as a real one', () => {
    const ext = extensions(userCert);
    expect(ext['2.5.29.15']).toEqual({ critical: true, value: Buffer.from('03020780', 'hex') });
    expect(ext['2.5.29.35']).toEqual({ critical: false, value: Buffer.concat([Buffer.from('30168014', 'hex'), ca.keyIdentifier]) });
    expect(Object.keys(ext).sort()).toEqual(['1.3.6.1.5.5.7.1.1', '2.5.29.14', '2.5.29.15', '2.5.29.18', '2.5.29.31', '2.5.29.32', '2.5.29.35', '2.5.29.37']);
    expect(ext['2.5.29.32']!.value.includes(Buffer.from('06 0B 2A 83 08 8C 9B 55 08 05 01 03 1E'.replaceAll(' ', ''), 'hex'))).toBe(true);
    expect(userCert.length).toBe(1571);
  });

  it('refuses a non-positive serial, inverted validity and a non-RSA key', () => {
    const request = { publicKey: userPublicKey, serial: 1n, notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
    expect(() => ca.issueUserAuthCertificate({ ...request, serial: 0n })).toThrow(CertificateIssueError);
    expect(() => ca.issueUserAuthCertificate({ ...request, notAfter: NOT_BEFORE })).toThrow(/must be later than notBefore/);
    expect(() => ca.issueUserAuthCertificate({ ...request, publicKey: ecPublicKey })).toThrow(/RSA public KeyObject/);
    expect(() => new TestCa({ privateKey: userPublicKey })).toThrow(CertificateIssueError);
  });
});

// openssl is an independent checker; `npm test` installs it (bin/system-packages.mjs), so this never skips.
describe('openssl', () => {
  it('accepts both certificates and prints the expected fields', () => {
    writeFileSync(join(workDir, 'user.der'), userCert);
    writeFileSync(join(workDir, 'ca.der'), ca.certificate);
    const userText = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(workDir, 'user.der'), '-noout', '-text'], { encoding: 'utf8' });
    expect(userText).toContain('Version: 3 (0x2)');
    expect(userText).toContain('Serial Number: 81985529216486895 (0x123456789abcdef)');
    expect(userText).toContain(`Subject: C = JP, CN = ${authCommonName(SERIAL)}`);
    expect(userText).toMatch(/Policy: 1\.2\.392\.200149\.8\.5\.1\.3\.30\s+CPS: https:\/\/www\.jpki-sim\.example\/cps\/auth\//);
    expect(userText).toContain('OCSP - URI:http://ocsp-auth.jpki-sim.example/');
    expect(userText).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication/);
    expect(userText).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(userText).toContain('Not After : Mar 31 14:59:59 2030 GMT');
    const caText = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(workDir, 'ca.der'), '-noout', '-text'], { encoding: 'utf8' });
    expect(caText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(caText).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(caText).toMatch(/CRL Distribution Points:\s+Full Name:\s+DirName:C = JP, O = JPKI-SIM, OU = JPKI for user authentication/);
    expect(caText).not.toContain('Authority Key Identifier');
  });

  it('verifies the chain user → CA', () => {
    const pem = (der: Buffer, name: string): string => {
      const path = join(workDir, name);
      writeFileSync(path, new X509Certificate(der).toString());
      return path;
    };
    const caPem = pem(ca.certificate, 'ca.pem');
    const userPem = pem(userCert, 'user.pem');
    // -attime pins the check inside the validity window whatever today is.
    const at = String(Math.floor(new Date('2026-01-01T00:00:00Z').getTime() / 1000));
    const out = execFileSync('openssl', ['verify', '-attime', at, '-CAfile', caPem, userPem], { encoding: 'utf8' });
    expect(out.trim()).toBe(`${userPem}: OK`);
  });
});

describe('issueSignatureCertificate', () => {
  const holder = {
    name: '川崎 花子', address: '神奈川県川崎市中原区小杉町一丁目４０３番地', birthDate: '1982-09-30', sex: 'female' as const,
    place: { prefecture: 'Kanagawa-ken', city: 'Kawasaki-shi' },
  };
  let signCa: TestCa;
  let der: Buffer;
  beforeAll(() => {
    signCa = new TestCa({ privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, purpose: 'sign', serial: 2n });
    der = signCa.issueSignatureCertificate({ publicKey: userPublicKey, serial: SERIAL, notBefore: new Date('2026-04-01T01:37:00Z'), notAfter: NOT_AFTER, holder, cityCode: '141305' });
  });

  it('names the holder\'s prefecture and city, and the request\'s time, sequence and counter in its CN', () => {
    const cert = new X509Certificate(der);
    expect(cert.subject).toBe('C=JP\nL=Kanagawa-ken\nL=Kawasaki-shi\nCN=2026040110370086895141305A00');
    expect(cert.issuer).toBe('C=JP\nO=JPKI-SIM\nOU=JPKI for digital signature\nOU=Japan Agency for Local Authority Information Systems');
    expect(cert.verify(signCa.publicKey)).toBe(true);
    expect(der.length).toBeGreaterThan(1650);
    expect(der.length).toBeLessThan(1800);
  });

  it('carries the six personal-data otherNames in J-LIS\'s order, each an OID and a [0] UTF8String, as myna reads them', () => {
    const san = derChildren(parseDer(extensions(der)['2.5.29.17']!.value));
    const entries = san.map((e) => {
      expect(e.tag).toBe(0xa0);
      const [oid, value] = derChildren(e);
      const [text] = derChildren(value!);
      expect(text!.tag).toBe(0x0c);
      return [decodeDerOid(oid!), text!.content.toString('utf8')];
    });
    const pd = JPKI_OID.personalData;
    expect(entries).toEqual([
      [pd.name, '川崎 花子'], [pd.nameSubstitutes, '00000'], [pd.sex, '2'], [pd.birthDate, '319820930'],
      [pd.address, holder.address], [pd.addressSubstitutes, '0'.repeat([...holder.address].length)],
    ]);
    expect(extensions(der)['2.5.29.15']).toEqual({ critical: true, value: Buffer.from('030206c0', 'hex') });
  });

  it('writes the date of birth as an era digit and the Gregorian date (明治 1 … 令和 5)', () => {
    expect(['1899-12-01', '1920-01-01', '1980-04-12', '1990-01-02', '2020-01-01'].map(birthDateValue)).toEqual(['118991201', '219200101', '319800412', '419900102', '520200101']);
    expect([eraDigit('1989-01-07'), eraDigit('1989-01-08'), eraDigit('2019-04-30'), eraDigit('2019-05-01')]).toEqual(['3', '4', '4', '5']);
  });

  it('openssl prints the personal data and the per-city CRL point', () => {
    writeFileSync(join(workDir, 'sign.der'), der);
    const text = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(workDir, 'sign.der'), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toContain('othername: 1.2.392.200149.8.5.5.1::川崎 花子');
    expect(text).toContain('othername: 1.2.392.200149.8.5.5.4::319820930');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain('DirName:C = JP, O = JPKI-SIM, OU = JPKI for digital signature, OU = CRL Distribution Points, OU = Kanagawa-ken, CN = Kawasaki-shi CRLDP');
  });

  it('refuses a place not in romaji and a city code that is not 6 digits', () => {
    const request = { publicKey: userPublicKey, serial: 5n, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, cityCode: '141305', holder };
    expect(() => signCa.issueSignatureCertificate({ ...request, holder: { ...holder, place: { prefecture: '神奈川県', city: 'Kawasaki-shi' } } })).toThrow(/romaji/);
    expect(() => signCa.issueSignatureCertificate({ ...request, cityCode: '1413' })).toThrow(/6 digits/);
  });
});
