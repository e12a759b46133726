#!/usr/bin/env node
// Debian packages the kiosk needs beyond npm: the Japanese font for printed certificates (start and test), and
// the independent checkers the tests use (poppler for PDFs, openssl for certificates, chromium for the UI). Installs them with apt
// when it can (root, apt-get present); otherwise stops with the exact command to run. Nothing is skipped.
//   node bin/system-packages.mjs start|test
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The 音声ガイド is rendered when the UI is built (kiosk/voice/render.ts): espeak-ng speaks, MeCab with IPAdic reads
// Japanese into kana for it, opusenc encodes.
const VOICE = [
  { pkg: 'espeak-ng', present: () => onPath('espeak-ng') },
  { pkg: 'mecab', present: () => onPath('mecab') },
  { pkg: 'mecab-ipadic-utf8', present: () => existsSync('/var/lib/mecab/dic/ipadic-utf8/sys.dic') },
  { pkg: 'opus-tools', present: () => onPath('opusenc') },
];

// The touch screen's fonts are cut at build from Debian's Noto Sans CJK by fontTools (kiosk/fonts/subset.ts).
const FONTS = [
  { pkg: 'fonts-noto-cjk', present: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') && existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc') },
  { pkg: 'python3-fonttools', present: () => spawnSync('/usr/bin/python3', ['-c', 'import fontTools.subset'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'python3-brotli', present: () => spawnSync('/usr/bin/python3', ['-c', 'import brotli'], { stdio: 'ignore' }).status === 0 },
];

const NEEDS = {
  start: [
    { pkg: 'fonts-ipamj-mincho', present: () => existsSync('/usr/share/fonts/truetype/ipamj/ipamjm.ttf') || !!process.env.KIOSK_FONT },
    ...VOICE,
    ...FONTS,
  ],
  test: [
    { pkg: 'fonts-ipamj-mincho', present: () => existsSync('/usr/share/fonts/truetype/ipamj/ipamjm.ttf') || !!process.env.KIOSK_FONT },
    ...VOICE,
    ...FONTS,
    { pkg: 'poppler-utils', present: () => onPath('pdftotext') && onPath('pdffonts') && onPath('pdftoppm') },
    { pkg: 'openssl', present: () => onPath('openssl') },
    // xmllint checks the journey runner's JUnit XML against the schema CI servers read it by.
    { pkg: 'libxml2-utils', present: () => onPath('xmllint') },
    // The browser suite drives Debian's chromium with playwright-core (no browser downloads).
    { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
    // Kiosk mode on a real X display: Xvfb with no window manager, xdpyinfo for its size, xwd to see the screen.
    { pkg: 'xvfb', present: () => onPath('Xvfb') },
    { pkg: 'x11-utils', present: () => onPath('xdpyinfo') },
    { pkg: 'x11-apps', present: () => onPath('xwd') },
    // The PC/SC suite: a real pcscd with vsmartcard's vpcd driver, OpenSC as an independent client, and the
    // headers the pcsclite npm binding is built against.
    { pkg: 'pcscd', present: () => existsSync('/usr/sbin/pcscd') },
    { pkg: 'vsmartcard-vpcd', present: () => existsSync('/usr/lib/pcsc/drivers/serial/libifdvpcd.so') },
    { pkg: 'opensc', present: () => onPath('pkcs15-tool') && onPath('pkcs11-tool') },
    { pkg: 'libpcsclite-dev', present: () => existsSync('/usr/include/PCSC/winscard.h') },
  ],
};

/**
 * pcsclite is an optional npm dependency with a native build: an `npm install` made before libpcsclite-dev was
 * there leaves it out. Once the headers are in, install it again (for `test` only: `start` uses the sim reader).
 */
function ensurePcscliteBinding() {
  if (purpose !== 'test' || !existsSync('node_modules')) return;
  const loads = spawnSync(process.execPath, ['-e', "require('pcsclite')"], { stdio: 'ignore' }).status === 0;
  if (loads) return;
  console.error('kiosk: building the pcsclite binding (npm install)');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0 || spawnSync(process.execPath, ['-e', "require('pcsclite')"], { stdio: 'ignore' }).status !== 0) {
    console.error('kiosk: the pcsclite binding does not load. Try: apt-get install libpcsclite-dev && npm rebuild pcsclite');
    process.exit(1);
  }
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const purpose = process.argv[2];
if (!(purpose in NEEDS)) {
  console.error(`usage: node bin/system-packages.mjs ${Object.keys(NEEDS).join('|')}`);
  process.exit(2);
}
const missing = NEEDS[purpose].filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) {
  ensurePcscliteBinding();
  process.exit(0);
}

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
  ensurePcscliteBinding();
  process.exit(0);
}
console.error(`kiosk: missing Debian packages: ${missing.join(' ')}.\nInstall them (as root) and try again:\n  sudo ${command}`);
process.exit(1);
