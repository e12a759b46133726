// Which of the machine's states and transitions a set of journeys covers, and the machine drawn with each
// transition green (fired by some journey) or red (never fired). The coverage comes from the journeys' runs: the
// runner records every transition the runtime's machine took (see instrument() in run.ts).
import type { AnyStateMachine } from 'xstate';
import { SCREENS } from '../../machine/types.ts';
import type { JourneyResult } from './run.ts';
import { machineStates, machineTransitions, withParents, type TransitionInfo } from './transitions.ts';

export interface Coverage {
  states: { covered: string[]; total: number; uncovered: string[] };
  transitions: { covered: string[]; total: number; uncovered: string[] };
  /** How many of the journeys fired each transition. */
  byTransition: Record<string, number>;
  journeys: number;
  failed: number;
}

export function coverageOf(machine: AnyStateMachine, results: JourneyResult[]): Coverage {
  const all = machineTransitions(machine);
  const states = machineStates(machine);
  const byTransition: Record<string, number> = Object.fromEntries(all.map((t) => [t.key, 0]));
  const visited = new Set<string>();
  for (const r of results) {
    for (const k of new Set(r.transitions ?? [])) if (k in byTransition) byTransition[k] += 1;
    // "pin-entry.verifying" covers pin-entry too.
    for (const s of r.path ?? []) for (const p of withParents(s)) visited.add(p);
  }
  const coveredT = all.filter((t) => byTransition[t.key] > 0).map((t) => t.key);
  return {
    states: { covered: states.filter((s) => visited.has(s)), total: states.length, uncovered: states.filter((s) => !visited.has(s)) },
    transitions: { covered: coveredT, total: all.length, uncovered: all.filter((t) => !byTransition[t.key]).map((t) => t.key) },
    byTransition,
    journeys: results.length,
    failed: results.filter((r) => !r.passed).length,
  };
}

const pct = (a: number, b: number) => `${b ? ((a / b) * 100).toFixed(1) : '100.0'}%`;

export function coverageText(c: Coverage): string {
  const lines = [
    `journeys: ${c.journeys} (${c.failed} failed)`,
    `states:      ${c.states.covered.length}/${c.states.total} (${pct(c.states.covered.length, c.states.total)})`,
    `transitions: ${c.transitions.covered.length}/${c.transitions.total} (${pct(c.transitions.covered.length, c.transitions.total)})`,
  ];
  if (c.states.uncovered.length) lines.push('states not reached:', ...c.states.uncovered.map((s) => `  ${s}`));
  if (c.transitions.uncovered.length) lines.push('transitions not fired:', ...c.transitions.uncovered.map((s) => `  ${s}`));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The drawing

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const GREEN = '#2e7d32';
const RED = '#d32f2f';
const END_SCREENS = ['out-of-service', 'refused', 'pin-locked', 'cancelled', 'print-failed'];
/** The main flow, one row per screen, top to bottom; the end screens stand in a column to the right. */
const FLOW = SCREENS.filter((s) => !END_SCREENS.includes(s));
const screenOfId = (id: string) => id.split('.')[0];

/**
 * An SVG of the machine: the screens of the main flow as a column of boxes (sub-states inside theirs), the end
 * screens in a column to their right, every transition as an arrow labelled with its event (the branch number when an
 * event has several, and the guard), green when some journey fired it, red and dashed when none did. Steps back go
 * on the left of the column, steps forward past the next screen on its right; a label stands where its arrow
 * leaves its box. Transitions that stay on their state are listed inside its box (↻); those of the whole machine
 * have a box of their own ("any screen").
 */
export function coverageSvg(machine: AnyStateMachine, c: Coverage, title = 'Kiosk machine: transition coverage'): string {
  const all = machineTransitions(machine);
  const covered = new Set(c.transitions.covered);
  const visitedStates = new Set(c.states.covered);
  const states = machineStates(machine);
  const children = (screen: string) => states.filter((s) => s.startsWith(`${screen}.`));
  const stays = (t: TransitionInfo) => t.targets.length === 0 || t.targets.every((x) => x === t.source);
  const loopsOf = (id: string) => all.filter((t) => t.source === id && stays(t));
  const arrows = all.filter((t) => t.source !== '' && !stays(t));
  const flowIndex = (id: string) => FLOW.indexOf(screenOfId(id) as (typeof FLOW)[number]);
  const isEnd = (id: string) => END_SCREENS.includes(screenOfId(id));
  const sameScreen = (t: TransitionInfo) => screenOfId(t.source) === screenOfId(t.targets[0]);
  /** Which side of its screen's box an arrow leaves by. */
  const side = (t: TransitionInfo): 'left' | 'right' | 'down' | 'inner' | 'end' => {
    if (isEnd(t.source)) return 'end';
    if (sameScreen(t)) return 'inner';
    if (isEnd(t.targets[0])) return 'right';
    const d = flowIndex(t.targets[0]) - flowIndex(t.source);
    return d === 1 ? 'down' : d > 1 ? 'right' : 'left';
  };
  const departures = (screen: string, s: string) => arrows.filter((t) => screenOfId(t.source) === screen && side(t) === s);

  // Rows: tall enough for the labels of the arrows that leave them and the transitions that stay.
  const MAIN_X = 620;
  const MAIN_W = 340;
  const END_X = 1330;
  const END_W = 230;
  const GAP = 34;
  const LINE = 13;
  const boxes = new Map<string, Box>();
  let y = 110;
  for (const screen of FLOW) {
    const kids = children(screen);
    const kidLines = Math.max(0, ...kids.map((k) => loopsOf(k).length));
    const h = Math.max(52, 20 + LINE * Math.max(departures(screen, 'left').length, departures(screen, 'right').length, kids.length ? 0 : loopsOf(screen).length),
      kids.length ? 44 + kidLines * 11 : 0);
    boxes.set(screen, { x: MAIN_X, y, w: MAIN_W, h });
    kids.forEach((k, j) => {
      const w = (MAIN_W - 12 - (kids.length - 1) * 6) / kids.length;
      boxes.set(k, { x: MAIN_X + 6 + j * (w + 6), y: y + 20, w, h: h - 26 });
    });
    // Arcs between sub-states hang under the box, one below the other: the gap makes room for them.
    y += h + GAP + departures(screen, 'inner').length * 12;
  }
  const height = y + 20;
  // End screens: each level with the rows that lead to it, tall enough for its incoming arrows, never overlapping.
  let endY = 110;
  for (const screen of END_SCREENS) {
    const incoming = arrows.filter((t) => t.targets[0] === screen);
    const rows = incoming.map((t) => boxes.get(screenOfId(t.source))).filter((b): b is Box => !!b);
    const want = rows.length ? rows.reduce((a, b) => a + b.y + b.h / 2, 0) / rows.length : endY;
    const h = Math.max(60, 16 + incoming.length * 12);
    const top = Math.max(endY, want - h / 2);
    boxes.set(screen, { x: END_X, y: top, w: END_W, h });
    endY = top + h + 40;
  }
  const rootLoops = all.filter((t) => t.source === '');
  const rootBox: Box = { x: END_X - 20, y: Math.max(endY, height - 60 - rootLoops.length * 15), w: END_W + 60, h: 30 + rootLoops.length * 15 };
  const width = END_X + END_W + 130;
  const H = Math.max(height, rootBox.y + rootBox.h + 20);

  const label = (t: TransitionInfo) => {
    const siblings = all.filter((x) => x.source === t.source && x.event === t.event).length;
    const g = t.guard && t.guard !== 'and' ? ` [${t.guard}]` : '';
    return `${t.event}${siblings > 1 ? ` #${t.key.split('#')[1]}` : ''}${g}`;
  };
  const color = (t: TransitionInfo) => (covered.has(t.key) ? GREEN : RED);
  const stroke = (t: TransitionInfo) =>
    `stroke="${color(t)}" stroke-width="${covered.has(t.key) ? 1.6 : 2}"${covered.has(t.key) ? '' : ' stroke-dasharray="6 3"'} marker-end="url(#a${color(t).slice(1)})"`;

  const out: string[] = [];
  const text = (x: number, y: number, t: string, attrs = '') => out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(t)}</text>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="DejaVu Sans, Noto Sans, Arial, sans-serif">`);
  out.push(`<defs>${[GREEN, RED].map((col) => `<marker id="a${col.slice(1)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${col}"/></marker>`).join('')}</defs>`);
  out.push('<rect width="100%" height="100%" fill="#fff"/>');
  text(20, 32, title, 'font-size="20" font-weight="bold"');
  text(20, 56, `transitions ${c.transitions.covered.length}/${c.transitions.total} (${pct(c.transitions.covered.length, c.transitions.total)}) · states ${c.states.covered.length}/${c.states.total} (${pct(c.states.covered.length, c.states.total)}) · ${c.journeys} journeys`, 'font-size="14"');
  out.push(`<g font-size="12"><line x1="20" y1="78" x2="52" y2="78" stroke="${GREEN}" stroke-width="2" marker-end="url(#a${GREEN.slice(1)})"/><text x="58" y="82">fired by a journey</text>`
    + `<line x1="200" y1="78" x2="232" y2="78" stroke="${RED}" stroke-width="2" stroke-dasharray="6 3" marker-end="url(#a${RED.slice(1)})"/><text x="238" y="82">never fired</text>`
    + '<text x="340" y="82">↻ stays on its screen · [guard]</text></g>');

  // Boxes, screens first, then their sub-states.
  const drawBox = (id: string, b: Box, sub: boolean) => {
    const seen = visitedStates.has(id);
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${sub ? '#eef2f9' : seen ? '#ffffff' : '#fff0f0'}" stroke="${seen ? '#455a64' : RED}" stroke-width="${sub ? 1 : 1.6}"/>`);
    text(b.x + 8, b.y + 16, id.split('.').pop()!, `font-size="${sub ? 12 : 14}" font-weight="bold"`);
  };
  for (const [id, b] of boxes) if (!id.includes('.')) drawBox(id, b, false);
  for (const [id, b] of boxes) if (id.includes('.')) drawBox(id, b, true);
  // Transitions that stay: one line each, under the box's name (a screen with sub-states: beside its name).
  for (const [id, b] of boxes) {
    const items = loopsOf(id);
    if (!items.length) continue;
    if (children(id).length) {
      out.push(`<text x="${b.x + b.w - 6}" y="${b.y + 15}" font-size="10" text-anchor="end">${items.map((t) => `<tspan fill="${color(t)}">↻ ${esc(label(t))}</tspan>`).join('  ')}</text>`);
    } else {
      const x = id.includes('.') ? b.x + 5 : b.x + b.w / 2 - 10;
      items.forEach((t, i) => text(x, b.y + (id.includes('.') ? 29 : 16) + i * (id.includes('.') ? 11 : LINE), `↻ ${label(t)}`, `font-size="${id.includes('.') ? 9 : 10.5}" fill="${color(t)}"`));
    }
  }

  // The machine-wide transitions.
  out.push(`<rect x="${rootBox.x}" y="${rootBox.y}" width="${rootBox.w}" height="${rootBox.h}" rx="8" fill="#fffde7" stroke="#455a64"/>`);
  text(rootBox.x + 8, rootBox.y + 17, 'any screen (the whole machine)', 'font-size="13" font-weight="bold"');
  rootLoops.forEach((t, i) => text(rootBox.x + 12, rootBox.y + 34 + i * 15, `${covered.has(t.key) ? '✔' : '✘'} ${label(t)}${t.targets.length ? ` → ${t.targets.join(', ')}` : ''}`, `font-size="11.5" fill="${color(t)}"`));

  // Arrows. Each leaves its screen's box at a point of its own on that side, where its label stands.
  const labels: string[] = [];
  const halo = (x: number, y0: number, t: TransitionInfo, anchor: string) =>
    labels.push(`<text x="${x.toFixed(1)}" y="${y0.toFixed(1)}" font-size="10.5" text-anchor="${anchor}" fill="${color(t)}" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(label(t))}</text>`);
  const slot = (list: TransitionInfo[], t: TransitionInfo, b: Box) => b.y + 16 + list.indexOf(t) * LINE;
  let leftLane = 0;
  let rightLane = 0;
  const incomingSlot = new Map<string, number>();
  const arrive = (screen: string) => {
    const b = boxes.get(screen)!;
    const n = incomingSlot.get(screen) ?? 0;
    incomingSlot.set(screen, n + 1);
    return b.y + 12 + n * 12;
  };
  for (const t of arrows) {
    const a = boxes.get(t.source)!;
    const parent = boxes.get(screenOfId(t.source))!;
    const target = t.targets[0];
    const b = boxes.get(target) ?? boxes.get(screenOfId(target))!;
    const s = side(t);
    if (s === 'inner') {
      // Between sub-states of one screen: arcs under them, each a line deeper than the one before, its label at its
      // lowest point.
      const k = departures(screenOfId(t.source), 'inner').indexOf(t);
      const x1 = a.x + a.w / 2 + (a.x < b.x ? 10 : -10);
      const x2 = b.x + b.w / 2 + (a.x < b.x ? -10 : 10);
      const yb = parent.y + parent.h - 6;
      const dip = 16 + k * 16;
      out.push(`<path d="M${x1},${yb} C${x1},${yb + dip} ${x2},${yb + dip} ${x2},${yb}" fill="none" ${stroke(t)}/>`);
      halo((x1 + x2) / 2, yb + dip * 0.75 + 4, t, 'middle');
    } else if (s === 'down') {
      const list = departures(screenOfId(t.source), 'down');
      const x = parent.x + parent.w / 2 + (list.indexOf(t) - (list.length - 1) / 2) * 90;
      out.push(`<path d="M${x},${parent.y + parent.h} L${x},${b.y}" fill="none" ${stroke(t)}/>`);
      halo(x + 5, b.y - 7 - list.indexOf(t) * 12, t, 'start');
    } else if (s === 'right') {
      const list = departures(screenOfId(t.source), 'right');
      const y1 = slot(list, t, parent);
      const x1 = parent.x + parent.w;
      if (isEnd(target)) {
        const y2 = arrive(target);
        out.push(`<path d="M${x1},${y1} C${x1 + 170},${y1} ${b.x - 150},${y2} ${b.x},${y2}" fill="none" ${stroke(t)} opacity="0.85"/>`);
      } else {
        const lane = ++rightLane;
        const x2 = b.x + b.w;
        const y2 = b.y + b.h / 2 + 6;
        const reach = 150 + (lane % 8) * 16;
        out.push(`<path d="M${x1},${y1} C${x1 + reach},${y1} ${x2 + reach},${y2} ${x2},${y2}" fill="none" ${stroke(t)}/>`);
      }
      halo(x1 + 6, y1 - 3, t, 'start');
    } else if (s === 'left') {
      const list = departures(screenOfId(t.source), 'left');
      const y1 = slot(list, t, parent);
      const x1 = parent.x;
      const x2 = b.x;
      const y2 = b.y + b.h / 2 + 4 + (leftLane % 3) * 5;
      const reach = 60 + (++leftLane % 12) * 24;
      out.push(`<path d="M${x1},${y1} C${x1 - reach},${y1} ${x2 - reach},${y2} ${x2},${y2}" fill="none" ${stroke(t)}/>`);
      halo(x1 - 6, y1 - 3, t, 'end');
    } else {
      // From an end screen back to the main menu: out of its right side and up the far right.
      const ends = arrows.filter((x) => x.source === t.source);
      const k = ends.indexOf(t);
      const y1 = a.y + 16 + k * LINE;
      const x1 = a.x + a.w;
      const lane = END_X + END_W + 30 + END_SCREENS.indexOf(t.source) * 14 + k * 4;
      const y2 = b.y + 8 + END_SCREENS.indexOf(t.source) * 3 + k;
      out.push(`<path d="M${x1},${y1} L${lane - 10},${y1} Q${lane},${y1} ${lane},${y1 - 10} L${lane},${y2 + 10} Q${lane},${y2} ${lane - 10},${y2} L${b.x + b.w},${y2}" fill="none" ${stroke(t)} opacity="0.7"/>`);
      halo(x1 + 5, y1 - 3, t, 'start');
    }
  }
  out.push(...labels, '</svg>');
  return out.join('\n');
}
