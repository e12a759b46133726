// A party's small state files (the cash box's state, the persisted snapshot, a card's record, the center's terminals
// and issuance log): written whole to a temporary name, fsynced and renamed into place, readable by their owner only, never through a symbolic link; read
// back only when they are regular files of a sane size, so that a FIFO cannot hang a start and a link cannot make the
// kiosk (often root) read or truncate a file elsewhere.
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** A state file that is not one (a folder, a FIFO, a link, too large): `detail` says which. */
export class StateFileError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'StateFileError';
  }
}

/**
 * Writes `text` to `file` atomically (temporary file, fsync unless `sync` is false, rename), mode 0600, its folder
 * made 0700 if new.
 */
export function writeStateFile(file: string, text: string, o: { temp?: string; sync?: boolean } = {}): void {
  const temp = o.temp ?? `${file}.tmp`;
  let fd: number | null = null;
  try {
    try {
      fd = openSync(temp, WRITE_FLAGS, 0o600);
    } catch (e) {
      // The folder is made the first time only (a mkdir on every write would cost as much as the write).
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      fd = openSync(temp, WRITE_FLAGS, 0o600);
    }
    writeSync(fd, text);
    if (o.sync !== false) fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * The text of a state file, or null when there is none. Throws StateFileError when something else stands there (a
 * folder, a FIFO, a symbolic link) or it is larger than `maxBytes` (no state of the kiosk's is).
 */
export function readStateFile(file: string, maxBytes: number): string | null {
  return readStateBytes(file, maxBytes)?.toString('utf8') ?? null;
}

/** The bytes of a state file, or null when there is none: the checks of readStateFile. */
export function readStateBytes(file: string, maxBytes: number): Buffer | null {
  let st;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (!st.isFile()) throw new StateFileError(file, `not a regular file (${st.isDirectory() ? 'a folder' : st.isSymbolicLink() ? 'a symbolic link' : st.isFIFO() ? 'a FIFO' : 'a device or socket'})`);
  if (st.size > maxBytes) throw new StateFileError(file, `${st.size} bytes, more than any state written here (${maxBytes})`);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
