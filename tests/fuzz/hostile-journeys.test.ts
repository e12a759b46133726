// What this proves (issue 8, "hostile input"): whatever a journey file holds — the shipped journeys with lines
// deleted, duplicated, swapped or re-indented, values replaced by random strings, numbers (huge, .inf, .nan),
// nested maps and lists, tags, anchors and aliases, unknown and prototype-named keys (toString, __proto__…), binary
// garbage, cut short; a 1 MB string; YAML nested thousands deep; "billion laughs" alias bombs — parseJourneyText
//   - either returns a Journey that is plain, runnable data (finite numbers, plain lists and maps, every wait at most
//     a day, taps and other closed-list values real entries — never `toString` or `constructor`),
//   - or throws a JourneyFormatError whose message starts with `file:line: ` (a line of the file) and says what was
//     expected, in a readable length;
//   - never throws anything else (TypeError, RangeError…), and never hangs: each parse runs in a worker thread that
//     is terminated after 2 s (a timer in this thread could not stop a synchronous parse);
//   - refuses an alias bomb at once, naming aliases, instead of expanding it.
// Seeds are fixed (FUZZ_SEED overrides; FUZZ_RUNS scales the run counts; FUZZ_STATS=1 prints how parses ended);
// fast-check prints the seed and the shrunk counterexample of a failure.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAPS, type Journey } from '../../kiosk/journeys/format.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { FAULTS } from '../../kiosk/terminal.ts';
import { CERTIFICATES, LANGUAGES, SCREENS } from '../../machine/types.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS ?? 1)));
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns), interruptAfterTimeLimit: 90_000 });
const TEST_MS = 180_000;

/** A parse that takes longer than this is a hang. */
const GUARD_MS = 2000;
/** The longest readable error message: the known-values lists are a few hundred characters. */
const MAX_MESSAGE = 1000;
/** The longest wait a journey may script (the runner steps the simulated clock through every timer on the way). */
const MAX_WAIT_SECONDS = 86_400;

const ROOT = join(import.meta.dirname, '..', '..');
const personas = loadSampleData().personas.map((p) => p.id);
const shipped = readdirSync(join(ROOT, 'journeys'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: `journeys/${f}`, text: readFileSync(join(ROOT, 'journeys', f), 'utf8') }));

// ---------------------------------------------------------------------------------------------------------------
// The parser in a worker, behind a time guard

interface Thrown {
  ms: number;
  name: string;
  message: string;
  stack: string;
  file?: string;
  line?: number;
}
type Parsed =
  | { kind: 'journey'; ms: number; journey: Journey }
  | ({ kind: 'format-error' } & Thrown)
  | ({ kind: 'other' } & Thrown)
  | { kind: 'hang'; ms: number };

class ParserThread {
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  #next = 0;
  readonly #waiting = new Map<number, (p: Parsed) => void>();

  #start(): Promise<void> {
    const worker = new Worker(new URL('./journey-parse-worker.mjs', import.meta.url));
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: { ready?: true; id?: number } & Parsed) => {
        if (m.ready) return resolve();
        this.#waiting.get(m.id!)?.(m);
        this.#waiting.delete(m.id!);
      });
    });
    return this.#ready;
  }

  /** Parses in the worker; a parse still running after GUARD_MS is a hang, and the worker is terminated. */
  async parse(file: string, text: string): Promise<Parsed> {
    if (!this.#worker) await this.#start();
    await this.#ready;
    const id = this.#next++;
    const worker = this.#worker!;
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<Parsed>((resolve) => this.#waiting.set(id, resolve));
    const hang = new Promise<Parsed>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'hang', ms: GUARD_MS }), GUARD_MS);
    });
    worker.postMessage({ id, file, text, personas });
    const parsed = await Promise.race([answer, hang]);
    clearTimeout(timer);
    if (parsed.kind === 'hang') {
      this.#waiting.delete(id);
      this.#worker = null;
      await worker.terminate();
    }
    return parsed;
  }

  async stop(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = null;
  }
}

const parser = new ParserThread();
afterAll(() => parser.stop());

/** How parses ended: printed with FUZZ_STATS=1, to see that the properties reach past the YAML syntax check. */
const tallies = new Map<string, number>();
const tally = (result: string): void => void tallies.set(result, (tallies.get(result) ?? 0) + 1);
afterAll(() => {
  if (process.env.FUZZ_STATS) console.log(Object.fromEntries([...tallies].sort((a, b) => b[1] - a[1])));
});

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Words every message uses to say what was expected instead. */
const SAYS_WHAT_WAS_EXPECTED = /expected|needs|must|unknown|missing|not valid YAML|is not one of|a journey is|a step is|takes|alias/i;

/** Where `v` holds something other than plain, finite data (Infinity, NaN, undefined, a Uint8Array…), or null. */
function notPlain(v: unknown, path = 'journey'): string | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} is ${v}`;
  if (Array.isArray(v)) return v.map((x, i) => notPlain(x, `${path}[${i}]`)).find((x) => x !== null) ?? null;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v).map(([k, x]) => notPlain(x, `${path}.${k}`)).find((x) => x !== null) ?? null;
  }
  return `${path} is ${typeof v === 'object' ? Object.prototype.toString.call(v) : typeof v}`;
}

/** The property every parse must meet; returns the Parsed for further checks. */
async function parsesOrRefusesClearly(file: string, text: string): Promise<Parsed> {
  const parsed = await parser.parse(file, text);
  if (parsed.kind === 'hang') throw new Error(`parseJourneyText did not return within ${GUARD_MS} ms (a hang)`);
  if (parsed.kind === 'other') throw new Error(`parseJourneyText threw ${parsed.name}, not JourneyFormatError: ${parsed.message.slice(0, 300)}\n${parsed.stack.slice(0, 1500)}`);
  tally(parsed.kind === 'journey' ? 'journey' : `error: ${/^[^:]*:\d+: ("?[\w-]+"?(?: [\w-]+)?)/.exec(parsed.message)?.[1]}`);
  if (parsed.kind === 'format-error') {
    const m = new RegExp(`^${escapeRe(file)}:(\\d+): (.+)$`, 's').exec(parsed.message);
    if (!m) throw new Error(`the message does not start with "${file}:LINE: ": ${parsed.message.slice(0, 300)}`);
    const line = Number(m[1]);
    expect(line).toBe(parsed.line);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length + 1);
    expect(m[2]).toMatch(SAYS_WHAT_WAS_EXPECTED);
    expect(parsed.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  } else {
    // A journey is plain data the runner can use as it is: finite numbers, strings, booleans, null, plain lists and maps.
    const { journey } = parsed;
    expect(notPlain(journey)).toBeNull();
    expect(journey.file).toBe(file);
    for (const step of journey.steps) {
      expect(Number.isInteger(step.line) && step.line >= 1).toBe(true);
      // Values from closed lists are entries of those lists, never names every object has (toString, constructor…).
      if (step.kind === 'tap') expect(Object.hasOwn(TAPS, step.tap)).toBe(true);
      for (const [field, value] of Object.entries(step)) {
        if (typeof value === 'string' && CLOSED_FIELDS.includes(field)) expect(PROTOTYPE_KEYS).not.toContain(value);
      }
      if (step.kind === 'wait') expect(step.seconds > 0 && step.seconds <= MAX_WAIT_SECONDS).toBe(true);
    }
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries: YAML text

/** Every step line of the shipped journeys (all of them valid for kawasaki-taro's journey header). */
const validSteps = [...new Set(shipped.flatMap(({ text }) => text.split('\n').filter((l) => l.startsWith('  - '))))];

const STEP_KINDS = ['tap', 'domicile', 'language', 'insert-card', 'remove-card', 'pin', 'certificate', 'type', 'info', 'copies', 'correct',
  'insert-cash', 'wait', 'clock', 'fault', 'paper', 'jam-after', 'hold', 'release', 'expect'];
const EXPECT_KEYS = ['screen', 'reason', 'triesLeft', 'warning', 'notice', 'holder', 'due', 'inserted', 'printed', 'charged', 'change', 'refunded',
  'owed', 'unavailable'];
const OTHER_KEYS = ['name', 'persona', 'clock', 'language', 'card', 'steps', 'scope', 'members', 'form', 'person', 'year', 'householdHead',
  'domicile', 'myNumber', 'nationality', 'residenceStatus', 'residenceCardNumber', 'button', 'ignored', 'during', 'triesLeft', 'issuedDaysAgo',
  'expired', 'journal', 'document', 'receipt', 'type', 'copy', 'title', 'kind', 'contains', 'absent'];
/** Step fields whose value comes from a closed list (taps, faults, certificates, held work…). */
const CLOSED_FIELDS = ['tap', 'fault', 'certificate', 'language', 'step', 'work', 'during', 'persona'];
/** Keys that name Object.prototype members: code that does `${value}` or `obj[key]` on parsed YAML trips on them. */
const PROTOTYPE_KEYS = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'toJSON', 'isPrototypeOf', '__defineGetter__'];

/** Keys YAML reads as plain keys: the journey vocabulary, prototype names, and quoted random text. */
const plainKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...STEP_KINDS, ...EXPECT_KEYS, ...OTHER_KEYS), weight: 3 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 2 },
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);
/** Keys that bend YAML itself: merge keys, complex keys, tags, anchors, aliases, unquoted random text. */
const wildKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('<<', '? x', "''", '~', '1', '-1', 'true', '[a]', '{a: 1}', '*a', '&a k', '!!str k', '!!binary aGk='),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
);
const keyText = fc.oneof({ arbitrary: plainKey, weight: 4 }, { arbitrary: wildKey, weight: 1 });

/** Scalars YAML reads as values: the journey vocabulary, numbers of every size and kind, quoted random text. */
const plainScalar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SCREENS, ...CERTIFICATES, ...LANGUAGES, ...FAULTS, ...Object.keys(TAPS), ...personas.slice(0, 5), 'card-read-error', '"1234"', '2026-11-24T10:00:00+09:00'), weight: 4 },
  // Names every object has: a lookup like `value in TABLE` takes them for entries.
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  { arbitrary: fc.constantFrom('.inf', '-.inf', '.nan', '.NaN', '1e400', '-1e400', '1e300', '1e9', '-0', '0x1F', '0o17', '1_000', '0', '0.5'), weight: 2 },
  fc.constantFrom('~', 'null', 'true', 'false', 'yes', 'no', '""', "''", '"\\u0000"', '"\\uD800"', '"\\x85"'),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
);
/** Scalars that bend YAML: tags, anchors, aliases, stray indicators, unquoted random and binary text. */
const wildScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('!!binary aGVsbG8=', '!!set {a, b}', '!!omap [{a: 1}]', '!foo bar', '!!int "3"', '!!str 3', '!!float "x"', '!!timestamp 2001-12-14',
    '!!map {}', '!!seq []', '!<tag:yaml.org,2002:str> x', '*a', '&a 1', '&a {screen: top}', '*undefined', '&a [*a]', '? x', '- x', '{', '}', '[',
    ']', ':', '#', '@x', '`x', '%x', '|', '>', '|-\n  block', '"unterminated', "'x''y'"),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const scalarText = fc.oneof({ arbitrary: plainScalar, weight: 4 }, { arbitrary: wildScalar, weight: 1 });

const nested = (key: fc.Arbitrary<string>, scalar: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.letrec<{ value: string; map: string; seq: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
    map: fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((kvs) => `{${kvs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    seq: fc.array(tie('value'), { maxLength: 4 }).map((vs) => `[${vs.join(', ')}]`),
  })).value;

/** Values that are valid YAML (they stress the journey rules) and values that may not be (they stress the YAML layer). */
const plainValue = nested(plainKey, plainScalar);
const valueText = fc.oneof({ arbitrary: plainValue, weight: 3 }, { arbitrary: nested(keyText, scalarText), weight: 1 });
/** Numbers at the edges: what counts, waits, sheets and yen must survive. */
const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('.inf', '-.inf', '.nan', '1e400', '1e300', '1e20', '1e9', '86401', '86400', '9007199254740993', '-1', '0', '-0', '0.5', '1.5'),
  fc.integer().map(String),
  fc.double().map(String),
);

/** A block-style nested map or list, `depth` levels deep, as the lines after `key:`. */
const deepBlock = (depth: number, seq: boolean, indent: number): string =>
  Array.from({ length: depth }, (_, d) => `${' '.repeat(indent + (seq ? 2 : 1) * d)}${seq ? '-' : 'a:'}`).join('\n') + ' 1';

type Op =
  | { op: 'delete'; i: number }
  | { op: 'duplicate'; i: number }
  | { op: 'swap'; i: number; j: number }
  | { op: 'indent'; i: number; by: number; tab: boolean }
  | { op: 'value'; i: number; k: number; value: string }
  | { op: 'key'; i: number; k: number; key: string }
  | { op: 'insert'; i: number; line: string }
  | { op: 'truncate'; at: number }
  | { op: 'deep'; i: number; depth: number; style: 'flow-seq' | 'flow-map' | 'block-map' | 'block-seq' };

const index = fc.nat({ max: 1000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), i: index }),
  fc.record({ op: fc.constant('duplicate' as const), i: index }),
  fc.record({ op: fc.constant('swap' as const), i: index, j: index }),
  fc.record({ op: fc.constant('indent' as const), i: index, by: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }),
  { arbitrary: fc.record({ op: fc.constant('value' as const), i: index, k: fc.nat({ max: 4 }), value: valueText }), weight: 4 },
  fc.record({ op: fc.constant('key' as const), i: index, k: fc.nat({ max: 4 }), key: keyText }),
  {
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      i: index,
      line: fc.oneof(
        fc.tuple(keyText, valueText).map(([k, v]) => `${k}: ${v}`), // a top-level key
        fc.tuple(keyText, valueText).map(([k, v]) => `  - ${k}: ${v}`), // a step
        fc.constantFrom('---', '...', '%YAML 1.1', '%TAG ! tag:x,2000:', '\t- remove-card', '  - remove-card', '  -', '- ', '? ', ': ', '#', '\uFEFF'),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
      ),
    }),
    weight: 2,
  },
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat({ max: 2000 }) }),
  fc.record({ op: fc.constant('deep' as const), i: index, depth: fc.integer({ min: 1, max: 2000 }), style: fc.constantFrom('flow-seq' as const, 'flow-map' as const, 'block-map' as const, 'block-seq' as const) }),
);

/** `key: value` pairs of a line (flow maps included), as [start, end) of each value. */
function valueSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const re = /: /g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const start = m.index + 2;
    const rest = line.slice(start);
    const end = /^[{[]/.test(rest) ? line.length : start + (/[,}\]]/.exec(rest)?.index ?? rest.length);
    spans.push([start, end]);
  }
  return spans;
}

function mutate(text: string, ops: Op[]): string {
  let lines = text.split('\n');
  const at = (i: number): number => i % Math.max(lines.length, 1);
  for (const o of ops) {
    switch (o.op) {
      case 'delete':
        lines.splice(at(o.i), 1);
        break;
      case 'duplicate':
        lines.splice(at(o.i), 0, lines[at(o.i)] ?? '');
        break;
      case 'swap': {
        const [a, b] = [at(o.i), at(o.j)];
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        break;
      }
      case 'indent': {
        const i = at(o.i);
        const line = lines[i] ?? '';
        lines[i] = o.by >= 0 ? (o.tab ? '\t' : ' ').repeat(o.by) + line : line.replace(new RegExp(`^ {0,${-o.by}}`), '');
        break;
      }
      case 'value': {
        const i = at(o.i);
        const line = lines[i] ?? '';
        const spans = valueSpans(line);
        if (spans.length === 0) lines[i] = `${line.replace(/\s+$/, '')}: ${o.value}`; // a bare `- remove-card` gets a value
        else {
          const [start, end] = spans[o.k % spans.length]!;
          lines[i] = line.slice(0, start) + o.value + line.slice(end);
        }
        break;
      }
      case 'key': {
        const i = at(o.i);
        const line = lines[i] ?? '';
        const keys = [...line.matchAll(/([\w-]+)(?=: |:$)/g)];
        if (keys.length) {
          const k = keys[o.k % keys.length]!;
          lines[i] = line.slice(0, k.index) + o.key + line.slice(k.index! + k[1]!.length);
        }
        break;
      }
      case 'insert':
        lines.splice(at(o.i), 0, ...o.line.split('\n'));
        break;
      case 'truncate':
        lines = lines.join('\n').slice(0, o.at).split('\n');
        break;
      case 'deep': {
        const i = at(o.i);
        const head = (lines[i] ?? '').replace(/:.*$/, '') || '  - type';
        const indent = /^\s*-?\s*/.exec(head)![0].length + 2;
        lines[i] =
          o.style === 'flow-seq' ? `${head}: ${'['.repeat(o.depth)}1${']'.repeat(o.depth)}`
          : o.style === 'flow-map' ? `${head}: ${'{a: '.repeat(o.depth)}1${'}'.repeat(o.depth)}`
          : `${head}:\n${deepBlock(o.depth, o.style === 'block-seq', indent)}`;
        break;
      }
    }
  }
  return lines.join('\n');
}

/** A "billion laughs": each anchor is `width` aliases of the one before, `depth` levels: width^depth nodes if expanded. */
function aliasBomb(width: number, depth: number, style: 'map' | 'seq', where: 'type' | 'expect' | 'info' | 'top'): string {
  const level = (n: number): string => {
    if (n === 0) return style === 'map' ? '{lol: lol}' : '[lol, lol]';
    const items = Array.from({ length: width }, (_, w) => (style === 'map' ? `k${w}: *a${n - 1}` : `*a${n - 1}`));
    return style === 'map' ? `{${items.join(', ')}}` : `[${items.join(', ')}]`;
  };
  const header = 'name: "bomb"\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\n';
  if (where === 'top') {
    return `${header}${Array.from({ length: depth + 1 }, (_, n) => `x${n}: &a${n} ${level(n)}`).join('\n')}\nsteps:\n  - remove-card\n`;
  }
  const steps = Array.from({ length: depth + 1 }, (_, n) => `  - ${where}: &a${n} ${level(n)}`);
  return `${header}steps:\n${steps.join('\n')}\n  - ${where}: {boom: *a${depth}}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  // Start the worker (tsx compiles the parser there) outside the first property's time.
  await parser.parse('warm-up.yaml', 'name: x\n');
});

describe('parseJourneyText on hostile journey files', () => {
  it('every shipped journey parses (the seeds the mutations start from)', async () => {
    expect(shipped.length).toBeGreaterThan(30);
    for (const { file, text } of shipped) expect((await parsesOrRefusesClearly(file, text)).kind).toBe('journey');
  });

  it('mutated shipped journeys: a plain Journey or a JourneyFormatError at file:line saying what was expected; nothing else, no hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shipped), fc.array(op, { minLength: 1, maxLength: 4 }), async ({ file, text }, ops) => {
        await parsesOrRefusesClearly(file, mutate(text, ops));
      }),
      params(300),
    );
  }, TEST_MS);

  it('one hostile step among valid ones, or random YAML as the whole file: the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          {
            arbitrary: fc
              .tuple(
                fc.array(fc.constantFrom(...validSteps), { maxLength: 5 }),
                fc.nat(),
                fc.constantFrom(...STEP_KINDS),
                fc.oneof({ arbitrary: valueText, weight: 2 }, numberText),
              )
              .map(([valid, at, kind, value]) => {
                const steps = [...valid];
                steps.splice(at % (steps.length + 1), 0, `  - ${kind}: ${value}`);
                return `name: x\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n${steps.join('\n')}\n`;
              }),
            weight: 4,
          },
          valueText,
          fc.string({ unit: 'binary', maxLength: 400 }),
        ),
        async (text) => {
          await parsesOrRefusesClearly('random.yaml', text);
        },
      ),
      params(300),
    );
  }, TEST_MS);

  it('alias bombs ("billion laughs") are refused at once, naming aliases, never expanded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.constantFrom('map' as const, 'seq' as const),
        fc.constantFrom('type' as const, 'expect' as const, 'info' as const, 'top' as const),
        async (width, depth, style, where) => {
          const parsed = await parsesOrRefusesClearly('bomb.yaml', aliasBomb(width, depth, style, where));
          expect(parsed.kind).toBe('format-error');
          if (parsed.kind === 'format-error') expect(parsed.message).toMatch(/alias/i);
        },
      ),
      params(60),
    );
  }, TEST_MS);

  it('1 MB strings and very deep nesting: refused clearly, in time', async () => {
    const mb = 'x'.repeat(1 << 20);
    const digits = '7'.repeat(1 << 20);
    const head = 'name: big\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n';
    const cases = [
      `name: "${mb}"\nclock: 2026-11-24T10:00:00+09:00\nsteps: []\n`,
      `${head}  - tap: ${mb}\n`,
      `${head}  - pin: "${digits}"\n`,
      `${head}  - ${mb}: 1\n`,
      `${head}  - expect: {screen: ${mb}}\n`,
      `${head}  - insert-card: ${mb}\n`,
      `${mb}: 1\n`,
      `${head}  - wait: ${digits}\n`,
      mb,
      `${head}  - type: ${'['.repeat(100_000)}\n`,
      `${head}  - type: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`,
      `${head}  - type:\n${deepBlock(5000, false, 6)}\n`,
      `${head}  - type:\n${deepBlock(5000, true, 6)}\n`,
    ];
    for (const text of cases) await parsesOrRefusesClearly('big.yaml', text);
  }, TEST_MS);
});
