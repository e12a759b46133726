// Reports of a journey run: JUnit XML for CI, one self-contained HTML page for people (each step with the screen
// after it, the machine's path, the failure highlighted), and JSON. None of them holds a PIN: steps are described
// by describeStep(), which never writes a `pin:` value, and screens are summaries of the machine's view, which
// never had one.
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { JourneyResult, ScreenSummary, StepResult } from './run.ts';

// ---------------------------------------------------------------------------------------------------------------
// JUnit XML

/** Text for XML: the five entities escaped and the characters XML 1.0 cannot carry dropped. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const caseName = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');

function stepLog(r: JourneyResult): string {
  return r.steps.map((s) => `${r.file}:${s.line}: ${s.ok ? 'ok  ' : 'FAIL'} ${s.step}  → ${s.screen}${s.error ? `\n    ${s.error}` : ''}`).join('\n');
}

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub actions): one <testsuite> per folder of journeys, one
 * <testcase> per journey, a <failure> with `file:line: what diverged` and the steps up to it.
 */
export function junitXml(results: JourneyResult[], options: { name?: string; mode?: string } = {}): string {
  const bySuite = new Map<string, JourneyResult[]>();
  for (const r of results) {
    const suite = dirname(r.file) === '.' ? 'journeys' : dirname(r.file);
    bySuite.set(suite, [...(bySuite.get(suite) ?? []), r]);
  }
  const failed = results.filter((r) => !r.passed).length;
  const total = results.reduce((a, r) => a + r.ms, 0);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(options.name ?? 'kiosk journeys')}" tests="${results.length}" failures="${failed}" errors="0" time="${seconds(total)}">`,
  ];
  for (const [suite, rs] of bySuite) {
    const f = rs.filter((r) => !r.passed).length;
    out.push(`  <testsuite name="${xmlText(suite)}" tests="${rs.length}" failures="${f}" errors="0" skipped="0" time="${seconds(rs.reduce((a, r) => a + r.ms, 0))}" timestamp="${stamp}" hostname="${xmlText(hostname())}">`);
    if (options.mode) out.push(`    <properties><property name="mode" value="${xmlText(options.mode)}"/></properties>`);
    for (const r of rs) {
      const classname = `${suite.replace(/[\\/]/g, '.')}.${caseName(r.file)}`;
      out.push(`    <testcase classname="${xmlText(classname)}" name="${xmlText(`${caseName(r.file)}: ${r.name}`)}" time="${seconds(r.ms)}">`);
      if (r.failure) {
        const message = `${r.file}:${r.failure.line}: ${r.failure.message}`;
        out.push(`      <failure message="${xmlText(message)}" type="JourneyFailure">${xmlText(`${message}\n\n${stepLog(r)}`)}</failure>`);
      } else {
        out.push(`      <system-out>${xmlText(stepLog(r))}</system-out>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

const esc = (s: unknown): string => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const yen = (n: number) => `${n.toLocaleString('en')} 円`;

/** A headless step's screen: a small card with what the screen showed (no image: nothing was drawn). */
function screenCard(v: ScreenSummary | undefined): string {
  if (!v) return '';
  const facts: string[] = [];
  if (v.reason) facts.push(`reason <b>${esc(v.reason)}</b>`);
  if (v.holder) facts.push(`holder ${esc(v.holder)}`);
  if (v.city) facts.push(`city ${esc(v.city)}`);
  if (v.certificate) facts.push(`${esc(v.certificate)} × ${v.copies}`);
  if (v.due) facts.push(`due ${yen(v.due)}`);
  if (v.inserted) facts.push(`inserted ${yen(v.inserted)}`);
  if (v.printed) facts.push(`printed ${v.printed}`);
  if (v.triesLeft !== null && v.triesLeft < 3) facts.push(`tries left ${v.triesLeft}`);
  if (v.notice) facts.push(`notice ${esc(v.notice)}`);
  if (v.cardPresent) facts.push('card on reader');
  return `<div class="screen${v.warning ? ' warn' : ''}"><div class="sid">${esc(v.screen)}${v.step ? `<small> / ${esc(v.step)}</small>` : ''}<span class="lang">${esc(v.language)}</span></div>`
    + `${v.warning ? '<div class="w">timeout warning shown</div>' : ''}<div class="facts">${facts.join(' · ') || '&nbsp;'}</div></div>`;
}

function stepRow(file: string, s: StepResult): string {
  const shot = s.screenshot ? `<img loading="lazy" alt="${esc(s.screen)}" src="${esc(s.screenshot)}">` : '';
  const states = (s.states ?? []).map((x) => `<span class="st">${esc(x)}</span>`).join(' → ');
  return `<tr class="${s.ok ? 'ok' : 'fail'}"><td class="ln">${s.line}</td><td><code>${esc(s.step)}</code>${s.error ? `<div class="err">${esc(`${file}:${s.line}: ${s.error}`)}</div>` : ''}`
    + `${states ? `<div class="path">${states}</div>` : ''}</td><td>${shot || screenCard(s.view)}</td></tr>`;
}

function journeySection(r: JourneyResult, i: number): string {
  const path = (r.path ?? []).map((x) => `<span class="st">${esc(x)}</span>`).join(' <span class="ar">→</span> ');
  const failure = r.failure
    ? `<p class="diverged">Diverged at <a href="#j${i}-l${r.failure.line}">${esc(r.file)}:${r.failure.line}</a> (${esc(r.failure.step ?? '')}, on the ${esc(r.failure.screen ?? '')} screen): ${esc(r.failure.message)}</p>`
    : '';
  const rows = r.steps.map((s) => stepRow(r.file, s).replace('<tr ', `<tr id="j${i}-l${s.line}" `)).join('\n');
  return `<details id="j${i}" class="journey ${r.passed ? 'pass' : 'fail'}"${r.passed ? '' : ' open'}>
<summary><span class="badge">${r.passed ? 'PASS' : 'FAIL'}</span> <b>${esc(r.file)}</b> — ${esc(r.name)} <small>(${r.steps.length} steps, ${r.ms.toFixed(0)} ms${r.apdus !== undefined ? `, ${r.apdus} APDUs` : ''})</small></summary>
${failure}
<div class="mpath"><b>Machine path</b> ${path}</div>
<table><colgroup><col class="c-ln"><col><col class="c-screen"></colgroup><thead><tr><th>line</th><th>step</th><th>screen after the step</th></tr></thead><tbody>
${rows}
</tbody></table>
</details>`;
}

export function htmlReport(results: JourneyResult[], options: { title?: string; mode?: string } = {}): string {
  const failed = results.filter((r) => !r.passed).length;
  const title = options.title ?? 'Kiosk journeys';
  const index = results.map((r, i) => `<a class="${r.passed ? 'pass' : 'fail'}" href="#j${i}" title="${esc(r.name)}">${esc(caseName(r.file))}</a>`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,"Noto Sans JP",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .3em}.sum{margin:.2em 0 1em}.sum b.f{color:#b00020}
.index a{display:inline-block;margin:2px;padding:1px 6px;border-radius:3px;text-decoration:none;font-size:12px}
.index a.pass{background:#e3f4e6;color:#1b5e20}.index a.fail{background:#fde2e4;color:#b00020;font-weight:bold}
details.journey{border:1px solid #ccc;border-radius:6px;margin:.6em 0;padding:.3em .8em}
details.fail{border-color:#b00020}summary{cursor:pointer}.badge{display:inline-block;width:3.2em;text-align:center;border-radius:3px;font-size:12px;color:#fff}
.pass .badge{background:#2e7d32}.fail .badge{background:#b00020}
table{border-collapse:collapse;width:100%;margin:.5em 0;table-layout:fixed}col.c-ln{width:3.5em}col.c-screen{width:440px}code{overflow-wrap:anywhere}td,th{border-top:1px solid #eee;padding:4px 6px;vertical-align:top;text-align:left}
td.ln{color:#888;width:3em}tr.fail td{background:#fde2e4}tr.fail td.ln{color:#b00020;font-weight:bold}
.err{color:#b00020;font-weight:bold;margin-top:3px}.diverged{background:#fde2e4;padding:6px;border-left:4px solid #b00020}
.path,.mpath{font-size:12px;color:#555;margin-top:2px}.st{background:#eef;border-radius:3px;padding:0 4px;white-space:nowrap}.ar{color:#999;margin:0 2px}
.screen{border:1px solid #bbb;border-radius:4px;padding:3px 6px;background:#fafafa;min-width:16em}.screen.warn{border-color:#e65100}
.sid{font-weight:bold}.sid small{font-weight:normal}.lang{float:right;color:#888;font-weight:normal;font-size:11px}.w{color:#e65100;font-size:12px}.facts{font-size:12px}
img{max-width:420px;border:1px solid #bbb;border-radius:3px}code{font-size:12.5px}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="sum">${results.length} journeys${options.mode ? ` (${esc(options.mode)})` : ''}: <b>${results.length - failed} passed</b>, <b class="${failed ? 'f' : ''}">${failed} failed</b> · ${esc(new Date().toISOString())}</p>
<div class="index">${index}</div>
${results.map(journeySection).join('\n')}
</body></html>
`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** The JSON report: the results without screenshots (the HTML report carries those). */
export function jsonReport(results: JourneyResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  const journeys = results.map((r) => ({ ...r, steps: r.steps.map(({ screenshot: _s, ...s }) => s) }));
  return JSON.stringify({ passed: results.length - failed, failed, journeys }, null, 2);
}
