// Transition bookkeeping for the model-based test: every transition the machine defines (each guarded branch
// of each event on each state, and each eventless `always` branch), named so that coverage can be counted.
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

export function transitionKey(t: AnyTransitionDefinition): string {
  const source = t.source as AnyStateNode;
  const list: readonly AnyTransitionDefinition[] = t.eventType === ''
    ? source.always ?? []
    : source.transitions.get(t.eventType) ?? [];
  return `${source.id} ${t.eventType || 'always'} #${list.indexOf(t)}`;
}

/** All transitions defined in the machine, by key. */
export function allTransitions(machine: AnyStateMachine): Set<string> {
  const keys = new Set<string>();
  const visit = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) for (const t of list) keys.add(transitionKey(t));
    for (const t of node.always ?? []) keys.add(transitionKey(t));
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return keys;
}
