// The machine's transitions, named so that journeys can count them: every guarded branch of every event on every
// state, and every eventless `always` branch (the model-based test in tests/model counts the same keys). Coverage reports,
// generation and the SVG drawing all use these names.
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, InspectionEvent } from 'xstate';

/**
 * The transitions a microstep fired and the snapshot it left, from an inspection event (null for other events).
 * XState v5 carries them in the event's `_transitions`, which its types do not declare: read in this one place.
 */
export function microstep(e: InspectionEvent): { transitions: AnyTransitionDefinition[]; snapshot: { value: unknown } } | null {
  if (e.type !== '@xstate.microstep') return null;
  const m = e as unknown as { _transitions?: AnyTransitionDefinition[]; snapshot: { value: unknown } };
  return { transitions: m._transitions ?? [], snapshot: m.snapshot };
}

export function transitionKey(t: AnyTransitionDefinition): string {
  const source = t.source as AnyStateNode;
  const list: readonly AnyTransitionDefinition[] = t.eventType === ''
    ? source.always ?? []
    : source.transitions.get(t.eventType) ?? [];
  return `${source.id} ${t.eventType || 'always'} #${list.indexOf(t)}`;
}

export interface TransitionInfo {
  key: string;
  /** State id without the machine's id: "top", "pin-entry.verifying"; "" for the machine's root. */
  source: string;
  /** Where it goes (state ids); empty for a transition that stays (actions only, or nothing). */
  targets: string[];
  event: string;
  /** The guard's name, when the branch has one. */
  guard: string | null;
}

const stateId = (node: AnyStateNode): string => node.id.split('.').slice(1).join('.');

function guardName(t: AnyTransitionDefinition): string | null {
  const g = t.guard as unknown;
  if (!g) return null;
  if (typeof g === 'string') return g;
  if (typeof g === 'object' && g && 'type' in g) return String((g as { type: string }).type);
  // and([...]) / or([...]): the guards it combines.
  if (typeof g === 'function' && Array.isArray((g as unknown as { guards?: unknown[] }).guards)) {
    return (g as unknown as { guards: unknown[] }).guards.map((x) => (typeof x === 'string' ? x : (x as { type?: string })?.type ?? '?')).join(' & ');
  }
  if (typeof g === 'function') return (g as { name?: string }).name || 'guard';
  return 'guard';
}

/** Every transition the machine defines, in document order. */
export function machineTransitions(machine: AnyStateMachine): TransitionInfo[] {
  const out: TransitionInfo[] = [];
  const visit = (node: AnyStateNode) => {
    const add = (t: AnyTransitionDefinition) => out.push({
      key: transitionKey(t), source: stateId(node), targets: (t.target ?? []).map((n: AnyStateNode) => stateId(n)), event: t.eventType || 'always', guard: guardName(t),
    });
    for (const list of node.transitions.values()) for (const t of list) add(t);
    for (const t of node.always ?? []) add(t);
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return out;
}

export function allTransitions(machine: AnyStateMachine): Set<string> {
  return new Set(machineTransitions(machine).map((t) => t.key));
}

/** Every state id of the machine (atomic and compound), e.g. "top", "pin-entry", "pin-entry.entering". */
export function machineStates(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const visit = (node: AnyStateNode) => {
    if (node !== machine.root) out.push(stateId(node));
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return out;
}

/** A state and the states it is inside: "pin-entry.verifying" → "pin-entry", "pin-entry.verifying". */
export function withParents(path: string): string[] {
  const parts = path.split('.');
  return path ? parts.map((_, i) => parts.slice(0, i + 1).join('.')) : [];
}

/** "pin-entry.verifying" for { 'pin-entry': 'verifying' }. */
export function stateOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [k, v] = Object.entries(value as Record<string, unknown>)[0];
  return `${k}.${stateOf(v)}`;
}
