// A folder owned by one process: a terminal's --var (journal, snapshot, cash box), its spool, a center's folder. The
// owner holds an exclusive flock(2) on <folder>/.lock for as long as it runs (tryFlock below); the kernel lets go of it when the
// process ends in any way (a SIGKILL or a power cut included), so a crashed kiosk never leaves a stale lock that
// blocks its own restart, and no pid guessing is needed. The lock file also says who holds it, for the message the
// next process shows.
import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { readStateFile } from '../storage/state-file.ts';

type Flock = (fd: number, flags: 'exnb' | 'un') => void;
/** fs-ext's flock(2) (a CommonJS native addon built from source at install), loaded the first time it is needed. */
let nativeFlock: Flock | null = null;

/**
 * Takes an exclusive flock(2) on the open file `fd` without waiting: true when taken, false when another open file
 * holds it. In the main thread through fs-ext; in a worker thread (the journey runner's) through util-linux's
 * flock(1) on the same open file, because fs-ext is no context-aware addon and loading it in a second thread brings
 * the process down. Both lock the open file itself, so they exclude each other, and the lock lasts until `fd` closes.
 */
/** Something to wait on for a few milliseconds without giving up the thread (a lock is taken synchronously). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function tryFlock(fd: number): boolean {
  if (isMainThread) {
    nativeFlock ??= (createRequire(import.meta.url)('fs-ext') as { flockSync: Flock }).flockSync;
    try {
      nativeFlock(fd, 'exnb');
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return false;
      throw e;
    }
  }
  const r = spawnSync('flock', ['--exclusive', '--nonblock', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
  if (r.error) throw r.error;
  if (r.status === 0) return true;
  if (r.status === 1) return false;
  throw new Error(`flock(1) failed (${r.status}): ${String(r.stderr).trim()}`);
}

/** The file inside a locked folder that carries the lock (hidden: the spool never serves or lists it). */
export const LOCK_FILE = '.lock';

/** Who holds a folder, as its lock file says. */
export interface LockHolder {
  pid: number;
  /** What holds it, e.g. "kiosk start (terminal K01, port 8080)". */
  what: string;
  since: string;
}

/** Another process holds the folder: the message says which, and what to do. */
export class FolderLockedError extends Error {
  constructor(readonly folder: string, readonly holder: LockHolder | null) {
    super(`${folder} is in use by ${holder ? `${holder.what} (pid ${holder.pid}, since ${holder.since})` : 'another process'}. ` +
      'A folder belongs to one process at a time: stop that one first, or give this one a folder of its own.');
    this.name = 'FolderLockedError';
  }
}

/** The folder cannot be used at all (a file where the folder should be, no permission, a read-only disk). */
export class FolderUnusableError extends Error {
  constructor(readonly folder: string, detail: string) {
    super(`${folder} cannot be used: ${detail}. Give a writable folder.`);
    this.name = 'FolderUnusableError';
  }
}

export interface FolderLock {
  readonly folder: string;
  release(): void;
}

/**
 * Takes the folder for this process (creating it), or throws FolderLockedError (held by another process, or by
 * another lock of this one) or FolderUnusableError. Never waits.
 */
export function lockFolder(folder: string, what: string): FolderLock {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (e) {
    throw unusable(folder, e);
  }
  const lock = lockFile(join(folder, LOCK_FILE), what, folder);
  return { folder, release: lock.release };
}

/**
 * Takes one lock file (created if needed) for this process; `owner` names what it guards in the messages (the file's
 * folder by default). Throws FolderLockedError with the holder, or FolderUnusableError. Never waits.
 */
export function lockFile(file: string, what: string, owner = file): { release(): void } {
  let fd: number;
  try {
    // Never through a link: a lock file swapped for a link to another file must not get that file truncated.
    fd = openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    throw unusable(owner, e);
  }
  let taken: boolean;
  try {
    taken = tryFlock(fd);
    // A lock its owner has let go of (the file emptied) can still be held for a moment: a child process this one forked
    // holds a copy of every descriptor until its exec closes them. That is no holder: wait for it, briefly.
    for (let tries = 0; !taken && tries < 25 && fstatSync(fd).size === 0; tries++) {
      Atomics.wait(PAUSE, 0, 0, 10);
      taken = tryFlock(fd);
    }
  } catch (e) {
    closeSync(fd);
    throw unusable(owner, e);
  }
  if (!taken) {
    closeSync(fd);
    throw new FolderLockedError(owner, holderOf(file));
  }
  try {
    const holder: LockHolder = { pid: process.pid, what, since: new Date().toISOString() };
    ftruncateSync(fd, 0);
    writeSync(fd, JSON.stringify(holder) + '\n', 0);
  } catch {
    // Who holds it is for the message only: the lock itself is taken.
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      try {
        ftruncateSync(fd, 0);
      } catch {
        // who held it is for messages only
      } finally {
        // Closing the open file lets go of its lock (no other descriptor refers to it).
        closeSync(fd);
      }
    },
  };
}

/**
 * Who holds a lock file now, or null when nobody does (the file is not locked, or does not exist). Read from the
 * kernel's table of locks (/proc/locks), never by taking the lock, which would refuse a holder that comes meanwhile.
 */
export function lockHolder(file: string): LockHolder | null {
  let st;
  try {
    st = statSync(file, { bigint: true });
  } catch {
    return null;
  }
  // /proc/locks names a file by its device (major:minor, hex) and inode: "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF".
  const dev = st.dev;
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${st.ino}`;
  let table: string;
  try {
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return null;
  }
  const held = table.split('\n').some((l) => / FLOCK /.test(l) && !l.includes('->') && l.split(/\s+/).includes(id));
  return held ? holderOf(file) ?? { pid: 0, what: 'another process', since: '' } : null;
}

function holderOf(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readStateFile(file, 4096) ?? '') as LockHolder;
    return typeof h.pid === 'number' && typeof h.what === 'string' ? { pid: h.pid, what: h.what.slice(0, 200), since: String(h.since).slice(0, 40) } : null;
  } catch {
    return null;
  }
}

function unusable(folder: string, e: unknown): FolderUnusableError {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOTDIR: 'a file stands where the folder (or one above it) should be',
    EEXIST: 'a file stands where the folder should be',
    EACCES: 'no permission to write there',
    EPERM: 'no permission to write there',
    EROFS: 'the disk is read-only',
    ENOSPC: 'the disk is full',
  };
  return new FolderUnusableError(folder, `${why[err.code ?? ''] ?? err.message} (${err.code ?? 'error'})`);
}
