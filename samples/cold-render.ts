// One document in a fresh process, timed: what the first print after a kiosk starts costs. The benchmark
// (npm run bench) runs this in child processes; by hand: npx tsx samples/cold-render.ts [ours|baseline] [TYPE]
// Prints one JSON line: importMs (loading the printer's modules), fontMs (finding and parsing the font), renderMs
// (rendering the first document, issued beforehand by the center's builder), coldMs = fontMs + renderMs, bytes and
// pages.
export {};
const started = performance.now();
const [mode = 'ours', type = 'juminhyo'] = process.argv.slice(2);
const { baselineFont, renderSampleDocument, renderBaseline, sampleDocument } = await import('./bench-documents.ts');
const { loadFont } = await import('../printer/fonts.ts');
const { countPages } = await import('../printer/layout/pdf.ts');
const imported = performance.now();
const doc = sampleDocument(type as Parameters<typeof sampleDocument>[0]);
const t0 = performance.now();
// Each finds and parses its font: ours reads the tables it needs, the baseline the whole file (fontkit.openSync).
if (mode === 'baseline') baselineFont();
else loadFont();
const t1 = performance.now();
const pdf = mode === 'baseline' ? await renderBaseline(doc) : await renderSampleDocument(doc);
const t2 = performance.now();
console.log(
  JSON.stringify({
    mode, type, importMs: imported - started, fontMs: t1 - t0, renderMs: t2 - t1, coldMs: t2 - t0, bytes: pdf.length, pages: countPages(pdf),
  }),
);
