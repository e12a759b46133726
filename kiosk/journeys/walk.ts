// Seeded random walks over the journeys' model (generate.ts): where the generated set takes each transition once
// by its shortest path, a walk strings thousands of steps together at random (a card pulled right after a wrong
// PIN, a cancel right after the last coin, the same session again and again), weighted if asked. The model plans
// the walk and predicts each screen; the walk runs as journeys on a real headless terminal, one journey per stretch
// from the first screen, with the oracles (oracles.ts) checked after every step. A stretch that fails is shrunk:
// steps are taken out while it still fails the same way, and the shortest is written as a journey file with its
// seed. The same seed and options give the same walk, step for step.
import { kioskMachine, screenOf } from '../../machine/kiosk-machine.ts';
import { REQUIREMENTS, requirementsShown } from '../../machine/requirements.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { parseJourneyText, type Journey } from './format.ts';
import { journeyModel, stepLines, TIMES, type GenEvent, type GenState, type JourneyModel } from './generate.ts';
import { oracleChecks } from './oracles.ts';
import { runJourney, type JourneyResult, type RunOptions } from './run.ts';
import { allTransitions, machineStates, stateOf, withParents } from './transitions.ts';
import { coverageOf } from './coverage.ts';

export const WALK_UNTIL = ['transitions', 'pairs', 'states', 'requirements'] as const;
export type WalkUntil = (typeof WALK_UNTIL)[number];

/** The kinds of step a weight may name: a kind (`fault`), or a kind and what it is (`fault:paper-jam`, `tap:cancel`). */
export const STEP_KINDS = ['tap', 'tap-ignored', 'language', 'insert', 'remove', 'pin', 'certificate', 'type', 'info', 'copies', 'correct', 'cash', 'wait', 'fault', 'pull', 'domicile', 'reserve', 'hold', 'release'] as const satisfies ReadonlyArray<GenEvent['type']>;
export type Weights = Readonly<Record<string, number>>;

export class WalkOptionError extends Error {}

/** Checks a weights table (from `--weights FILE`): known step kinds, each a finite number ≥ 0. */
export function checkWeights(w: unknown): Weights {
  if (!w || typeof w !== 'object' || Array.isArray(w)) throw new WalkOptionError('the weights are a map of step kinds to numbers, e.g. { fault: 3, wait: 0.2, "tap:cancel": 2 }');
  for (const [k, v] of Object.entries(w)) {
    const kind = k.split(':')[0];
    if (kind !== 'clock' && !(STEP_KINDS as readonly string[]).includes(kind)) throw new WalkOptionError(`the weights name ${JSON.stringify(k)}, which is no step kind (${STEP_KINDS.join(', ')}, or kind:what as in tap:cancel; clock weighs steps at another time of day)`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new WalkOptionError(`the weight of ${k} is ${JSON.stringify(v)}: give a number from 0 (never) up`);
  }
  return w as Weights;
}

/**
 * The walk's default: a resident who mostly goes on. Waiting out a screen, cancelling, going back, the services
 * the simulator does not have and the operator's out-of-service switch are each a few times rarer than a step on;
 * without this a walk circles the first two menus (6 of 10 steps on the top screen). `--weights` goes over these,
 * key by key (`{ wait: 1, tap: 1, fault: 1 }` for a plain random walk).
 */
export const DEFAULT_WEIGHTS: Weights = {
  wait: 0.15, 'tap:cancel': 0.2, 'tap:back': 0.25, 'tap:copy': 0.05, 'fault:out-of-service': 0.05, 'tap:continue': 0.5, language: 0.3,
  clock: 0.2, 'pin:right': 4, fault: 0.25, pull: 0.2, hold: 0.4, 'insert:kawasaki-taro': 3, domicile: 0.3, 'tap:pin-reset': 0.5, 'tap:domicile-registration': 0.5,
};

/** A step's weight: the given weights' for the step (`tap:cancel`) or its kind (`tap`), else the defaults', else 1. */
function weightOf(e: GenEvent, given: Weights): number {
  const what = 'tap' in e ? e.tap : 'fault' in e ? e.fault : 'persona' in e ? e.persona : 'work' in e ? e.work : 'right' in e ? (e.right ? 'right' : 'wrong') : null;
  const of = (w: Weights) => (what !== null ? w[`${e.type}:${what}`] : undefined) ?? w[e.type];
  // A step at another time of day (before opening, in a city's maintenance window) also weighs as `clock` says.
  const moves = 'at' in e && e.at !== undefined && e.at !== 'T' ? given.clock ?? DEFAULT_WEIGHTS.clock : 1;
  return (of(given) ?? of(DEFAULT_WEIGHTS) ?? 1) * moves;
}

/** mulberry32: a small seeded generator, the same numbers for the same seed on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One step of a planned walk: what was done, and the state the model says it leads to. */
interface Planned {
  event: GenEvent;
  state: GenState;
}

/** A stretch of the walk from the first screen: one journey on a fresh terminal. */
export interface Stretch {
  index: number;
  steps: Planned[];
}

export interface WalkOptions {
  seed: number;
  /** Steps in all (the walk's length; with `until`, the most it may take). */
  steps: number;
  weights?: Weights;
  /** Stop once every one of these is covered (by the model's prediction). */
  until?: WalkUntil;
  /** A stretch ends at the first screen once it has this many steps (default 200): the unit a failure is shrunk in. */
  stretch?: number;
  /** Passed to each journey's run (printer, center, print speed). */
  run?: RunOptions;
}

/** How much more a step not yet taken from its state weighs. */
const FRESH = 10;
/** How much more a step that fires a transition not yet covered weighs, with --until transitions. */
const GUIDED = 1000;

const pairsOf = (fired: readonly string[]) => fired.slice(1).map((k, i) => `${fired[i]} → ${k}`);

/**
 * Plans the walk on the model, stretch by stretch as they are asked for: a walk of a million steps never holds more
 * than the stretch being run (each step keeps the model's state, for its journey lines and for shrinking).
 */
export function* planWalk(model: JourneyModel, o: WalkOptions): Generator<Stretch> {
  const next = random(o.seed);
  const weights = o.weights ?? {};
  const limit = o.stretch ?? 200;
  let index = 0;
  const seen = { transitions: new Set<string>(), states: new Set<string>() };
  const target = o.until === 'transitions' ? allTransitions(kioskMachine).size : o.until === 'states' ? machineStates(kioskMachine).length : Infinity;
  let state = model.initial;
  let current: Planned[] = [];
  /** Steps taken, each from the state it was taken in. */
  const visited = new Set<string>();
  const close = (): Stretch | null => {
    const done = current.length ? { index: ++index, steps: current } : null;
    current = [];
    state = model.initial;
    return done;
  };
  for (let taken = 0; taken < o.steps; ) {
    // A step not yet taken from this state weighs ten times more: the walk stays random but spreads out, as
    // GraphWalker's random walks prefer edges not yet visited (a plain random walk circles the first menus).
    const here = model.serialize(state);
    const choices = model.stepsFrom(state).map((e) => {
      const w = weightOf(e, weights);
      return { e, w: visited.has(`${here} ${JSON.stringify(e)}`) ? w : w * FRESH };
    }).filter((c) => c.w > 0);
    // --until transitions: a step the model says fires a transition not yet covered weighs far more (the walk is
    // then guided, as GraphWalker's until-edge-coverage walks are; the rare transitions would take millions of steps).
    if (o.until === 'transitions') {
      for (const c of choices) if (model.reduce(state, c.e).fired.some((k) => !seen.transitions.has(k))) c.w *= GUIDED;
    }
    const home = screenOf(state.m.value) === 'top' && !state.card;
    if (!choices.length || (home && current.length >= limit)) {
      const done = close();
      if (!done) throw new WalkOptionError('the weights leave no step to take from the first screen: give some of its steps a weight above 0');
      yield done;
      continue;
    }
    let r = next() * choices.reduce((a, c) => a + c.w, 0);
    const chosen = choices.find((c) => (r -= c.w) < 0) ?? choices[choices.length - 1];
    visited.add(`${here} ${JSON.stringify(chosen.e)}`);
    state = model.reduce(state, chosen.e);
    current.push({ event: chosen.e, state });
    taken += 1;
    for (const k of state.fired) seen.transitions.add(k);
    // The states it ends in and those it passes through (each fired transition's source: pin-entry.verifying).
    for (const path of [stateOf(state.m.value), ...state.fired.map((k) => k.split(' ')[0].replace(/^kiosk\.?/, ''))]) {
      for (const p of withParents(path)) seen.states.add(p);
    }
    if ((o.until === 'transitions' || o.until === 'states') && seen[o.until].size >= target) break;
  }
  const last = close();
  if (last) yield last;
}

/** A stretch as a journey file: its seed and place in the walk, each step's lines and the screen the model predicts. */
export function stretchText(seed: number, stretch: Stretch, note = ''): string {
  // The journey's persona (a counter step's, when it names none) is the first card's.
  const first = stretch.steps.find((s) => s.event.type === 'insert')?.event as { persona?: string } | undefined;
  return [
    `# A walk of \`kiosk journey walk --seed ${seed}\`, stretch ${stretch.index}${note ? `: ${note}` : ''}.`,
    '# Run it with the oracles the walk checked: kiosk journey run --oracles FILE',
    `name: "walk ${seed}, stretch ${stretch.index} (${stretch.steps.length} steps)"`,
    ...(first?.persona ? [`persona: ${first.persona}`] : []),
    `clock: ${TIMES.T}`,
    'steps:',
    ...stepLines(stretch.steps),
  ].join('\n') + '\n';
}

/** Steps of a walk replayed on the model from the first screen, each kept only where the model can take it there. */
function replay(model: JourneyModel, events: readonly GenEvent[]): Planned[] {
  let state = model.initial;
  const out: Planned[] = [];
  for (const event of events) {
    const key = JSON.stringify(event);
    if (!model.stepsFrom(state).some((e) => JSON.stringify(e) === key)) continue;
    state = model.reduce(state, event);
    out.push({ event, state });
  }
  return out;
}

export interface StretchRun {
  stretch: Stretch;
  result: JourneyResult;
  /** Requirements the stretch's screens showed met. */
  requirements: string[];
}

/** What a failure is, for shrinking: the oracle that failed, or the kind of step the journey stopped at. */
export function failureKind(r: JourneyResult): string | null {
  if (!r.failure) return null;
  const oracle = /^oracle ([a-z-]+):/.exec(r.failure.message);
  return oracle ? `oracle ${oracle[1]}` : `${(r.failure.step ?? '').split(/[:{ ]/)[0] || 'step'} failed`;
}

export class Walker {
  readonly #model: JourneyModel;
  readonly #personas: string[];
  readonly #cities: ReturnType<typeof loadSampleData>['municipalities'];

  private constructor(model: JourneyModel) {
    this.#model = model;
    const data = loadSampleData();
    this.#personas = data.personas.map((p) => p.id);
    this.#cities = data.municipalities;
  }

  static async create(): Promise<Walker> {
    return new Walker(await journeyModel({ reinsert: true }));
  }

  /** The walk's stretches, planned as they are taken. */
  plan(o: WalkOptions): Generator<Stretch> {
    return planWalk(this.#model, o);
  }

  journey(seed: number, stretch: Stretch, note?: string): Journey {
    return parseJourneyText(`walk-${seed}-${stretch.index}.yaml`, stretchText(seed, stretch, note), this.#personas, this.#cities);
  }

  /** Runs one stretch as a journey on a fresh headless terminal, the oracles checked after every step. */
  async run(seed: number, stretch: Stretch, options: RunOptions = {}): Promise<StretchRun> {
    const requirements = new Set<string>();
    const result = await runJourney(this.journey(seed, stretch), {
      ...options,
      checks: (watched) => {
        const oracles = oracleChecks(watched);
        return (step) => {
          for (const id of requirementsShown(watched.terminal.runtime.view())) requirements.add(id);
          oracles(step);
        };
      },
    });
    return { stretch, result, requirements: [...requirements] };
  }

  /**
   * The shortest stretch found that still fails the same way: steps are taken out, halves then smaller parts down to
   * single steps (delta debugging), keeping each cut the model can still walk and the journey still fails.
   */
  async shrink(seed: number, failing: StretchRun, options: RunOptions = {}, budget = 400): Promise<{ run: StretchRun; tries: number }> {
    const kind = failureKind(failing.result);
    let best = failing;
    let tries = 0;
    // What comes after the failing step never ran: the stretch up to the planned step whose lines it was.
    const ran = failing.result.steps.length;
    let lines = 0;
    const upTo = failing.stretch.steps.findIndex((s) => (lines += s.state.lines.length + 1) >= ran);
    let events = failing.stretch.steps.slice(0, upTo < 0 ? undefined : upTo + 1).map((s) => s.event);
    const attempt = async (candidate: GenEvent[]): Promise<boolean> => {
      const steps = replay(this.#model, candidate);
      if (!steps.length || steps.length >= best.stretch.steps.length) return false;
      tries += 1;
      const run = await this.run(seed, { index: failing.stretch.index, steps }, options);
      if (failureKind(run.result) !== kind) return false;
      best = run;
      events = steps.map((s) => s.event);
      return true;
    };
    await attempt(events);
    let parts = 2;
    while (events.length >= 2 && tries < budget) {
      const size = Math.ceil(events.length / parts);
      let cut = false;
      for (let at = 0; at < events.length && tries < budget; at += size) {
        if (await attempt([...events.slice(0, at), ...events.slice(at + size)])) {
          cut = true;
          parts = Math.max(parts - 1, 2);
          break;
        }
      }
      if (cut) continue;
      if (size === 1) break;
      parts = Math.min(parts * 2, events.length);
    }
    return { run: best, tries };
  }

}

/**
 * A walk's coverage, run by run, by the ids `kiosk journey coverage` gives (coverage.ts): states and transitions,
 * and transition pairs and requirements besides. Keeps only what coverage needs of each run, not its steps.
 */
export class WalkTally {
  readonly #runs: JourneyResult[] = [];
  readonly #pairs = new Set<string>();
  readonly #requirements = new Set<string>();

  add({ result, requirements }: StretchRun): void {
    for (const p of pairsOf(result.steps.flatMap((s) => s.transitions ?? []))) this.#pairs.add(p);
    for (const id of requirements) this.#requirements.add(id);
    this.#runs.push({ ...result, steps: [], printed: [] });
  }

  coverage(): WalkCoverage {
    const c = coverageOf(kioskMachine, this.#runs);
    return {
      states: { covered: c.states.covered, total: c.states.total, missing: c.states.uncovered },
      transitions: { covered: [...c.transitions.covered].sort(), total: c.transitions.total, missing: [...c.transitions.uncovered].sort() },
      pairs: { covered: [...this.#pairs].sort() },
      requirements: { covered: [...this.#requirements].sort(), total: REQUIREMENTS.length, missing: REQUIREMENTS.filter((r) => !this.#requirements.has(r)) },
    };
  }
}

export interface WalkCoverage {
  states: { covered: string[]; total: number; missing: string[] };
  transitions: { covered: string[]; total: number; missing: string[] };
  /** Transitions fired one right after the other (`a → b`), as the runs fired them. */
  pairs: { covered: string[] };
  requirements: { covered: string[]; total: number; missing: string[] };
}
