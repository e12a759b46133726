// Vite builds the touch UI (kiosk/ui) into dist/ui, which the kiosk server serves; vitest runs every test of the
// project from the project folder (vite's own root is kiosk/ui, so vitest's root is set back to this folder).
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vitest/config';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));
const uiRoot = fileURLToPath(new URL('./kiosk/ui', import.meta.url));
const devServer = process.env.KIOSK_DEV_SERVER ?? 'http://127.0.0.1:8090';

/**
 * The 音声ガイド's speech (kiosk/voice/render.ts): rendered into dist/ui/voice once the UI is built, from a cache, so a
 * build renders only what changed (about 100 s for all seven languages the first time, 5 s after).
 */
function voiceGuide(): Plugin {
  return {
    name: 'kiosk-voice-guide',
    apply: 'build',
    async closeBundle() {
      const { renderVoices } = await import('./kiosk/voice/render.ts');
      await renderVoices(fileURLToPath(new URL('./dist/ui/voice', import.meta.url)), fileURLToPath(new URL('./node_modules/.cache/kiosk-voice', import.meta.url)));
    },
  };
}

/**
 * The touch screen's fonts (kiosk/fonts/subset.ts): cut from Debian's Noto Sans CJK to the characters the kiosk shows,
 * into dist/ui/fonts with their style sheet, which the page links. Cached like the voice (about 25 s the first time).
 */
function kioskFonts(): Plugin {
  return {
    name: 'kiosk-fonts',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'link', attrs: { rel: 'stylesheet', href: './fonts/fonts.css' }, injectTo: 'head-prepend' }],
    async closeBundle() {
      const { cutFonts } = await import('./kiosk/fonts/subset.ts');
      cutFonts(projectRoot, fileURLToPath(new URL('./dist/ui/fonts', import.meta.url)), fileURLToPath(new URL('./node_modules/.cache/kiosk-fonts', import.meta.url)));
    },
  };
}

export default defineConfig({
  root: uiRoot,
  base: './',
  // The Preact preset (prefresh, devtools hooks) is for the browser; tests run plain TypeScript.
  plugins: process.env.VITEST ? [] : [preact(), kioskFonts(), voiceGuide()],
  build: {
    outDir: '../../dist/ui',
    emptyOutDir: true,
  },
  server: {
    // `npx vite` serves the UI with hot reload against a running kiosk (`node bin/kiosk.mjs start --port 8090`).
    proxy: {
      '/ws': { target: devServer.replace(/^http/, 'ws'), ws: true },
      '/spool': devServer,
    },
  },
  test: {
    root: projectRoot,
    dir: projectRoot,
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**'],
    // Suites start real processes (the kiosk command, pcscd, chromium) on 2 cores beside each other; a slow start
    // is not a failure. Speed is measured in `npm run bench`, never asserted.
    testTimeout: 30_000,
    // Two files at a time even on 2 cores (vitest would take one): most of a suite's time is waiting on a process,
    // pcscd's 44 ms per APDU or Chromium, not computing.
    maxWorkers: 2,
  },
});
