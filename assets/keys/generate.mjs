// Generates the test RSA-2048 keys once (the two test CAs, and two per persona card: user authentication and
// signature) so that starting the kiosk costs no key generation. TEST KEYS: they protect nothing. Run: node assets/keys/generate.mjs
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { personas } = JSON.parse(readFileSync(join(here, '..', 'personas.json'), 'utf8'));
const cards = personas.filter((p) => p.card.kind !== 'city-card').map((p) => p.id);
const ids = ['test-jpki-ca', 'test-jpki-sign-ca', 'test-foreign-ca', ...cards, ...cards.map((id) => `${id}.sign`)];
for (const id of ids) {
  const file = join(here, `${id}.key.pem`);
  if (existsSync(file)) continue;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  console.log('wrote', file);
}
