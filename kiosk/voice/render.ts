// The 音声ガイド's speech, rendered at build time with Debian's text-to-speech, so the kiosk speaks offline and the
// same on every machine. Each phrase of kiosk/ui/voice.ts in each language becomes an Ogg Opus file (16 kb/s mono,
// what Chromium plays): espeak-ng speaks it, opusenc encodes it. Two languages need their words put in a form espeak
// reads: Japanese as katakana (MeCab with IPAdic gives each word's reading: espeak-ng's Japanese reads kana only), and
// Chinese as pinyin with tone numbers (pinyin-pro: Debian's espeak-ng has no Chinese character dictionary), which its
// cmn-latn-pinyin voice speaks with the tones. Renders are cached by what went in (node_modules/.cache), so a build
// renders only phrases that changed.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pinyin } from 'pinyin-pro';
import { LANGUAGES, type Language } from '../../machine/types.ts';
import { loadLanguage } from '../ui/i18n/index.ts';
import { allPhrases, type VoiceManifest } from '../ui/voice.ts';

const run = promisify(execFile);
/** kb/s: speech at espeak-ng's 22 kHz is clear at 16 (Opus's own guidance for wideband speech: 16–20). */
const BITRATE = 16;

/** The espeak-ng voice and speed (words a minute: a little slower than its 175, for a public machine) per language. */
const VOICES: Record<Language, { voice: string; speed: number }> = {
  ja: { voice: 'ja', speed: 150 },
  en: { voice: 'en-us', speed: 150 },
  'zh-Hans': { voice: 'cmn-latn-pinyin', speed: 140 },
  'zh-Hant': { voice: 'cmn-latn-pinyin', speed: 140 },
  ko: { voice: 'ko', speed: 150 },
  // Most Portuguese speakers living in Japan are Brazilian.
  pt: { voice: 'pt-br', speed: 150 },
  es: { voice: 'es-419', speed: 150 },
};

export class VoiceToolsMissingError extends Error {
  constructor(missing: string[]) {
    super(`the voice guide is rendered with ${missing.join(', ')}, which this machine lacks. Run: node bin/system-packages.mjs start (or apt-get install espeak-ng mecab mecab-ipadic-utf8 opus-tools)`);
    this.name = 'VoiceToolsMissingError';
  }
}

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** IPAdic, named: another dictionary installed beside it (Open JTalk's) would read some words otherwise. */
const IPADIC = '/var/lib/mecab/dic/ipadic-utf8';

const CHINESE_DIGITS = ['ling2', 'yi1', 'er4', 'san1', 'si4', 'wu3', 'liu4', 'qi1', 'ba1', 'jiu3'];

const KANA = /[\u3040-\u30ff]/;

/**
 * The words as espeak-ng should get them. The Japanese a screen shows beside another language's words (「（ご利用
 * いただけないカードです。）」, for the person to show staff) is for reading, not hearing in a foreign voice: it is left out.
 */
export async function speakable(language: Language, shown: string): Promise<string> {
  const text = language === 'ja' ? shown : shown.replace(/[（(][^（()）]*[）)]/g, (part) => (KANA.test(part) ? ' ' : part)).replace(/[\u3040-\u30ff]+/g, ' ').trim();
  if (language === 'ja') {
    // MeCab's -Oyomi: the sentence's reading in katakana (digits and punctuation kept).
    return execFileSync('mecab', ['-d', IPADIC, '-Oyomi'], { input: `${text.replace(/\n/g, ' ')}\n`, encoding: 'utf8' }).trim();
  }
  if (language === 'zh-Hans' || language === 'zh-Hant') {
    return pinyin(text, { toneType: 'num', type: 'array', nonZh: 'consecutive' })
      .map((s) => (/^\d+$/.test(s) ? [...s].map((d) => CHINESE_DIGITS[Number(d)]).join(' ') : s.replace(/[。，、：；！？（）]/g, ', ')))
      .join(' ')
      // pinyin-pro marks a neutral tone 0; the voice reads 5.
      .replace(/([a-z])0\b/g, '$15');
  }
  return text;
}

/** How long a WAV plays (16-bit mono as espeak-ng writes it), from its header. */
export function wavMs(wav: Buffer): number {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('espeak-ng did not write a WAV');
  const rate = wav.readUInt32LE(24);
  const bytesPerSecond = wav.readUInt32LE(28);
  // espeak-ng streams to stdout with the data size unknown (0x7fffffff): the bytes after the 44-byte header count.
  const data = wav.length - 44;
  return Math.round((data / (bytesPerSecond || rate * 2)) * 1000);
}

interface Rendered {
  ms: number;
  file: string;
}

/** Renders under way, by cache id: two phrases that speak alike (the same words in both Chinese catalogs) render once. */
const inFlight = new Map<string, Promise<Rendered>>();

async function renderOne(language: Language, text: string, cacheDir: string): Promise<Rendered> {
  const { voice, speed } = VOICES[language];
  const input = await speakable(language, text);
  const id = createHash('sha256').update(JSON.stringify({ engine: `espeak-ng+opus${BITRATE}`, voice, speed, input })).digest('hex').slice(0, 24);
  let job = inFlight.get(id);
  if (!job) {
    job = renderId(id, voice, speed, input, cacheDir).finally(() => inFlight.delete(id));
    inFlight.set(id, job);
  }
  return job;
}

async function renderId(id: string, voice: string, speed: number, input: string, cacheDir: string): Promise<Rendered> {
  const file = join(cacheDir, `${id}.ogg`);
  const meta = join(cacheDir, `${id}.json`);
  if (existsSync(file) && existsSync(meta)) return { ms: (JSON.parse(readFileSync(meta, 'utf8')) as { ms: number }).ms, file };
  const { stdout: wav } = await run('espeak-ng', ['-v', voice, '-s', String(speed), '--stdout', input], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const ms = wavMs(wav);
  const tmp = `${file}.${process.pid}.tmp`;
  await new Promise<void>((resolve, reject) => {
    const child = execFile('opusenc', ['--quiet', '--bitrate', String(BITRATE), '--downmix-mono', '-', tmp], (e) => (e ? reject(e) : resolve()));
    child.stdin!.end(wav);
  });
  renameSync(tmp, file);
  writeFileSync(meta, JSON.stringify({ ms, voice, input }));
  return { ms, file };
}

/**
 * Renders every phrase of every language into `outDir` (voice/<language>/<key>.ogg and voice/manifest.json) and
 * returns the manifest. Two renders at a time (espeak-ng and opusenc are single-threaded).
 */
export async function renderVoices(outDir: string, cacheDir: string): Promise<VoiceManifest> {
  const missing = ['espeak-ng', 'mecab', 'opusenc'].filter((c) => !onPath(c));
  if (missing.length) throw new VoiceToolsMissingError(missing);
  mkdirSync(cacheDir, { recursive: true });
  const jobs: Array<{ language: Language; key: string; text: string }> = [];
  for (const language of LANGUAGES) {
    const t = await loadLanguage(language);
    for (const p of allPhrases(t)) jobs.push({ language, ...p });
  }
  const manifest = Object.fromEntries(LANGUAGES.map((l) => [l, {}])) as VoiceManifest;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) {
      const { language, key, text } = jobs[i];
      const r = await renderOne(language, text, cacheDir);
      const dir = join(outDir, language);
      mkdirSync(dir, { recursive: true });
      const to = join(dir, `${key}.ogg`);
      copyFileSync(r.file, to);
      manifest[language][key] = { text, ms: r.ms, bytes: readFileSync(to).length };
    }
  };
  await Promise.all([worker(), worker()]);
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}
