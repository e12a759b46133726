#!/usr/bin/env node
// Debian packages the kiosk needs beyond npm: the Japanese font for printed certificates (start and test), and
// the independent checkers the tests use (poppler for PDFs, openssl for certificates, chromium for the UI). Installs them with apt
// when it can (root, apt-get present); otherwise stops with the exact command to run. Nothing is skipped.
//   node bin/system-packages.mjs start|test
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS = {
  start: [{ pkg: 'fonts-ipamj-mincho', present: () => existsSync('/usr/share/fonts/truetype/ipamj/ipamjm.ttf') || !!process.env.KIOSK_FONT }],
  test: [
    { pkg: 'fonts-ipamj-mincho', present: () => existsSync('/usr/share/fonts/truetype/ipamj/ipamjm.ttf') || !!process.env.KIOSK_FONT },
    { pkg: 'poppler-utils', present: () => onPath('pdftotext') && onPath('pdffonts') && onPath('pdftoppm') },
    { pkg: 'openssl', present: () => onPath('openssl') },
    // The browser suite drives Debian's chromium with playwright-core (no browser downloads).
    { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  ],
};

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const purpose = process.argv[2];
if (!(purpose in NEEDS)) {
  console.error(`usage: node bin/system-packages.mjs ${Object.keys(NEEDS).join('|')}`);
  process.exit(2);
}
const missing = NEEDS[purpose].filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (isRoot && onPath('apt-get')) {
  console.error(`kiosk: installing Debian packages: ${missing.join(' ')}`);
  try {
    execFileSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error(`kiosk: the install failed. Run it yourself and try again:\n  ${command}`);
    process.exit(1);
  }
  const still = NEEDS[purpose].filter((n) => !n.present()).map((n) => n.pkg);
  if (still.length) {
    console.error(`kiosk: still missing after the install: ${still.join(' ')}`);
    process.exit(1);
  }
  process.exit(0);
}
console.error(`kiosk: missing Debian packages: ${missing.join(' ')}.\nInstall them (as root) and try again:\n  sudo ${command}`);
process.exit(1);
