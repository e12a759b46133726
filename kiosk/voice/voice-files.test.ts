// The 音声ガイド's files as the build rendered them (dist/ui/voice, made by `npm run build`, which `npm test` runs
// first): every phrase of every language is there, says the catalog's words, is Ogg Opus, and plays as long as the
// speech espeak-ng made (the Ogg's own length against the WAV's), at a pace a person can follow.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../machine/types.ts';
import { UI_DIR } from '../server.ts';
import { loadLanguage } from '../ui/i18n/index.ts';
import { allPhrases, type VoiceManifest } from '../ui/voice.ts';
import { speakable } from './render.ts';

const VOICE = join(UI_DIR, 'voice');

/** How long an Ogg Opus file plays: the last page's granule position less the pre-skip, at 48 kHz. */
export function oggOpusMs(file: Buffer): number {
  if (file.toString('ascii', 0, 4) !== 'OggS' || file.indexOf('OpusHead') < 0) throw new Error('not Ogg Opus');
  const preSkip = file.readUInt16LE(file.indexOf('OpusHead') + 10);
  const last = file.lastIndexOf('OggS');
  const granule = Number(file.readBigInt64LE(last + 6));
  return ((granule - preSkip) / 48_000) * 1000;
}

describe('the voice guide as built', () => {
  const manifest = JSON.parse(readFileSync(join(VOICE, 'manifest.json'), 'utf8')) as VoiceManifest;

  it.each(LANGUAGES)('%s: every phrase, in the catalog\'s words, as Ogg Opus as long as its speech, at a followable pace', async (language) => {
    const t = await loadLanguage(language);
    const phrases = allPhrases(t);
    expect(Object.keys(manifest[language]).sort()).toEqual(phrases.map((p) => p.key).sort());
    const problems: string[] = [];
    for (const p of phrases) {
      const entry = manifest[language][p.key];
      const file = join(VOICE, language, `${p.key}.ogg`);
      if (entry.text !== p.text) problems.push(`${p.key}: says "${entry.text}", the screen "${p.text}"`);
      if (!existsSync(file)) { problems.push(`${p.key}: no file`); continue; }
      const ms = oggOpusMs(readFileSync(file));
      // Opus pads to whole 20 ms frames and espeak-ng ends with a short silence: within 100 ms.
      if (Math.abs(ms - entry.ms) > 100) problems.push(`${p.key}: plays ${ms.toFixed(0)} ms, spoken ${entry.ms} ms`);
      // A pace a person follows: 40 to 450 ms a character (hanzi and kana slow, Latin letters fast) beside a second
      // of silence before and after; never under half a second: an empty or cut render fails here, and so does
      // one that spells out what it cannot read.
      const chars = [...p.text].length;
      if (entry.ms < 500 || entry.ms < 40 * chars || entry.ms > 1000 + 450 * chars) problems.push(`${p.key}: ${entry.ms} ms for ${chars} characters`);
    }
    expect(problems).toEqual([]);
  });

  it('speaks Japanese as its reading and Chinese as toned pinyin, never a character espeak-ng cannot read', async () => {
    await expect(speakable('ja', '暗証番号を入力してください')).resolves.toBe('アンショウバンゴウヲニュウリョクシテクダサイ');
    await expect(speakable('zh-Hant', '請輸入4位數密碼。')).resolves.toMatch(/^qing3 shu1 ru4 si4 wei4 shu4 mi4 ma3/);
    for (const language of ['ja', 'zh-Hans', 'zh-Hant'] as const) {
      for (const p of allPhrases(await loadLanguage(language))) {
        const said = await speakable(language, p.text);
        expect(said, `${language} ${p.key}`).not.toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});
