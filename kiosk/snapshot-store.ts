// The machine's snapshot on disk (<var>/snapshot.json), written after every step, so that a restarted kiosk can
// resume a menu where it was. Only a menu: a screen that depends on a card session, a center session or cash is
// what a crash loses (or recovery settles), so a restart starts those again at the top. Money is never here: it is in
// the journal and the cash box's own state.
import { join } from 'node:path';
import { screenOf } from '../machine/kiosk-machine.ts';
import type { Screen } from '../machine/types.ts';
import { readStateFile, writeStateFile } from '../storage/state-file.ts';

/**
 * Screens a restarted kiosk may resume on: nothing on them depends on a card session, a center session or cash,
 * which a crash loses (or settles). Any other screen starts again at the top.
 */
const RESUMABLE: ReadonlySet<Screen> = new Set(['top', 'government-menu', 'advanced-menu']);
/** A persisted snapshot older than this (kiosk time) is a person long gone: start at the top. */
const RESUME_WITHIN_MS = 5 * 60_000;
/** No snapshot of the machine's is near this size: anything larger is not one. */
const MAX_SNAPSHOT_BYTES = 1 << 20;

/** snapshot.json in the state folder: the machine's persisted snapshot and the runtime's session. */
export interface PersistedState {
  version: 1;
  session: string;
  savedAt: number;
  machine: unknown;
}

export class SnapshotStore {
  readonly #file: string | null;

  /** `stateDir` null: nothing is kept (a journey, a test). */
  constructor(stateDir: string | null | undefined) {
    this.#file = stateDir ? join(stateDir, 'snapshot.json') : null;
  }

  /** The last state written, or null (none, or anything that is not one: it only helps resume a menu). */
  read(): PersistedState | null {
    if (!this.#file) return null;
    try {
      const text = readStateFile(this.#file, MAX_SNAPSHOT_BYTES);
      const p = text === null ? null : (JSON.parse(text) as PersistedState);
      return p && p.version === 1 && typeof p.session === 'string' && typeof p.savedAt === 'number' ? p : null;
    } catch {
      return null;
    }
  }

  /** The machine snapshot to resume on, when it is safe and recent at `nowMs`; null to start at the top. */
  resumable(saved: PersistedState, nowMs: number): unknown {
    const m = saved.machine as { status?: string; value?: unknown } | null;
    if (!m || m.status !== 'active' || m.value === undefined) return null;
    if (!RESUMABLE.has(screenOf(m.value))) return null;
    if (Math.abs(nowMs - saved.savedAt) > RESUME_WITHIN_MS) return null;
    return m;
  }

  /**
   * Writes the state whole and renames it into place: a crash leaves the previous snapshot or this one, never half of
   * one. Not synced: a torn one is ignored at the next start. Throws what the disk said.
   */
  write(state: PersistedState): void {
    if (this.#file) writeStateFile(this.#file, JSON.stringify(state), { sync: false });
  }
}
