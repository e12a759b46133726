// Loads the sample data (municipalities, personas, test keys) and makes each persona's virtual card, with its
// user-authentication certificate minted by the test CA relative to the kiosk clock. TEST DATA only.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Municipality } from '../machine/types.ts';
import { loadRegistry, myNumberFor, serialFor, householdOfResident, type Persona, type Registry } from '../center/registry.ts';
import { TestCa } from '../center/x509/test-ca.ts';
import { VirtualMyNumberCard } from '../reader/virtual-card.ts';

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

export class UnknownPersonaError extends Error {
  constructor(id: string, known: string[]) {
    super(`No persona "${id}". Known personas: ${known.join(', ')}`);
    this.name = 'UnknownPersonaError';
  }
}

const readJson = (name: string) => JSON.parse(readFileSync(join(ASSETS, name), 'utf8'));
const keyCache = new Map<string, KeyObject>();

function key(id: string): KeyObject {
  let k = keyCache.get(id);
  if (!k) {
    k = createPrivateKey(readFileSync(join(ASSETS, 'keys', `${id}.key.pem`)));
    keyCache.set(id, k);
  }
  return k;
}

export interface SampleData {
  municipalities: Municipality[];
  personas: Persona[];
  /** The center's registers (residents, households, family registers, revocations). */
  registry: Registry;
  /** Issues the user-authentication certificates. */
  ca: TestCa;
  /** Issues the signature certificates (a separate CA, as in the real JPKI). */
  signCa: TestCa;
  /** Signs the certificates of personas whose card.issuer is 'foreign-ca'. */
  foreignCa: TestCa;
  persona(id: string): Persona;
  /** A fresh card for the persona, its certificate dated relative to `nowMs`. */
  makeCard(id: string, nowMs: number): VirtualMyNumberCard;
}

let cached: Omit<SampleData, 'makeCard' | 'persona'> | null = null;
/** Certificates already signed for a persona's card, by persona, issuer and validity (see makeCard). */
const minted = new Map<string, { auth: Buffer; sign: Buffer }>();

export function loadSampleData(): SampleData {
  cached ??= {
    municipalities: readJson('municipalities.json').municipalities,
    personas: readJson('personas.json').personas,
    registry: loadRegistry(readJson('registry.json')),
    ca: new TestCa({ privateKey: key('test-jpki-ca') }),
    signCa: new TestCa({
      privateKey: key('test-jpki-sign-ca'), serial: 2n,
      subject: 'C=JP, O=JPKI, OU=JPKI for digital signature (TEST), OU=Japan Agency for Local Authority Information Systems (TEST)',
    }),
    // A CA the center does not trust, with a name like JPKI's: the cards it signs are forgeries.
    foreignCa: new TestCa({
      privateKey: key('test-foreign-ca'), serial: 3n,
      subject: 'C=JP, O=JPKI, OU=JPKI for user authentication (FORGED TEST CA)',
    }),
  };
  const base = cached;
  const persona = (id: string) => {
    const p = base.personas.find((x) => x.id === id);
    if (!p) throw new UnknownPersonaError(id, base.personas.map((x) => x.id));
    return p;
  };
  return {
    ...base,
    persona,
    makeCard(id, nowMs) {
      const p = persona(id);
      if (p.card.kind === 'city-card') return new VirtualMyNumberCard({ kind: 'city-card' });
      const authKey = key(p.id);
      const signKey = key(`${p.id}.sign`);
      const day = 86_400_000;
      // Certificates start at the Japan midnight of their issue day, as a card issued at the counter that day.
      const issuedJst = Math.floor((nowMs + 9 * 3600_000) / day) * day - 9 * 3600_000 - (p.card.issuedDaysAgo ?? 0) * day;
      const validity = { notBefore: new Date(issuedJst), notAfter: new Date(issuedJst + (p.card.validDays ?? 1826) * day - 1000) };
      const serial = serialFor(p.id);
      const r = p.resident ? base.registry.residents.get(p.resident) : undefined;
      const issuer = p.card.issuer === 'foreign-ca' ? base.foreignCa : base.ca;
      // The same persona's card minted again the same day carries the same certificates (RSA PKCS#1 v1.5 signatures
      // are deterministic): they are signed once, which makes a journey several times faster.
      const mintKey = `${p.id}|${p.card.issuer ?? ''}|${validity.notBefore.getTime()}|${validity.notAfter.getTime()}`;
      let certificates = minted.get(mintKey);
      if (!certificates) {
        if (minted.size >= 1000) minted.clear();
        certificates = {
          auth: issuer.issueUserAuthCertificate({ publicKey: createPublicKey(authKey), serial, ...validity }),
          // The real signature certificate also carries the holder's name and address; ours has only a serial.
          sign: base.signCa.issueUserAuthCertificate({ publicKey: createPublicKey(signKey), serial: serial + 1n, ...validity }),
        };
        minted.set(mintKey, certificates);
      }
      return new VirtualMyNumberCard({
        kind: p.card.kind,
        authKey, authCertificate: certificates.auth,
        caCertificate: issuer.certificate, pin: p.card.pin, triesLeft: p.card.triesLeft ?? 3,
        signKey, signCertificate: certificates.sign,
        signCaCertificate: base.signCa.certificate, signPin: p.card.signPin, signTriesLeft: p.card.signTriesLeft ?? 5,
        // The 券面事項入力補助AP: its PIN is set to the same digits as the user-authentication PIN, as most people do.
        cardInfo: p.card.kind === 'my-number-card' && r && p.card.pin ? {
          pin: p.card.pin, myNumber: r.myNumber ?? myNumberFor(r.id), name: r.name, address: householdOfResident(base.registry, r).address, birthDate: r.birthDate,
          sex: r.sex === '男' ? 'male' : r.sex === '女' ? 'female' : 'not-applicable',
        } : undefined,
      });
    },
  };
}
