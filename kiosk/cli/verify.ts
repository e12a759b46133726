// `kiosk verify FILE.pdf|CODE`: what a receiving organization (a bank, an employer) does with a konbini
// certificate: look the verification code on its back up in the issuing center's log, and, given the PDF, check
// that it is the very file that was printed. Exit 0 genuine (the PDF itself checked, or the code alone), 1 not
// genuine or changed, 2 bad input or a log or center it cannot trust, 3 the code is genuine but the center holds no
// digest of the printed file, so the PDF itself could not be checked.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { IssuanceRecord } from '../../center/issuance-center.ts';
import { IssuanceLog, IssuanceLogError } from '../../center/issuance-log.ts';
import type { IssuanceStore } from '../../center/issuance-store.ts';
import { CenterRecordsError } from '../../center/records/center-records.ts';
import { SqliteIssuanceLog, jsonlLogOf } from '../../center/records/sqlite-issuance-log.ts';
import { openCenterDatabase } from '../../center/records/sqlite-records.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import { StartError, UsageError, type Flags } from './flags.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const CODE = /\b\d{4}-\d{4}-\d{4}-\d{4}\b/;
/** A printed certificate is at most ten sheets, well under 2 MB; anything far larger is not one, and is not read whole. */
export const MAX_PDF_BYTES = 16 * 2 ** 20;
/** pdftotext gets this long: a real certificate takes well under a second; a PDF built to hang it is given up. */
export const PDFTOTEXT_TIMEOUT_MS = 10_000;
/** The exit codes, as the help lists them. */
export const VERIFY_EXIT = { genuine: 0, notGenuine: 1, badInput: 2, fileNotChecked: 3 } as const;

/** Looks codes up either in a center process or directly in an issuance log on disk. */
interface Lookup {
  find(code: string): Promise<IssuanceRecord | null>;
  /** What to say of where the answer came from (null: the log on disk). */
  source(): string | null;
}

async function lookupFrom(flags: Flags): Promise<Lookup> {
  if (flags.center && flags.var) throw new UsageError('give either --var or --center, not both');
  if (flags['center-token'] && !flags.center) throw new UsageError('--center-token goes with --center URL');
  if (flags.center) {
    const { CenterClient } = await import('../../center/center-client.ts');
    const { CenterAuthenticationError, CenterImpostorError, CenterUnreachableError } = await import('../../center/issuance-center.ts');
    const { TokenFileError, readTokenFile } = await import('../../center/terminals.ts');
    const url = flags.center.replace(/\/+$/, '');
    let token: string | undefined;
    let terminal: string | null = null;
    if (flags['center-token']) {
      const file = flags['center-token'];
      try {
        ({ token, terminal } = readTokenFile(file));
      } catch (e) {
        if (!(e instanceof TokenFileError)) throw e;
        throw new StartError(`${file} is no usable center token (${e.problem}${e.detail ? `: ${e.detail}` : ''}): give the file kiosk center terminal add ID --out FILE wrote`);
      }
      if (!terminal) throw new StartError(`${file} holds a token from before tokens named their terminal: give the terminal a new one (kiosk center terminal add ID --replace --var DIR --out FILE)`);
    }
    const client = new CenterClient({ url, token, terminal: terminal ?? undefined });
    return {
      async find(code) {
        try {
          return await client.verify(code);
        } catch (e) {
          if (e instanceof CenterImpostorError) throw new StartError(`NOT VERIFIED: ${e.message}`);
          if (e instanceof CenterAuthenticationError) throw new StartError(`the center at ${url} does not accept the token in ${flags['center-token']}: give a registered terminal's token (kiosk center terminal add ID --var DIR --out FILE)`);
          if (e instanceof CenterUnreachableError) throw new StartError(`the center at ${url} does not answer: start it (kiosk center serve --port ${new URL(url).port}), or give its log with --var DIR`);
          throw new StartError(`the center at ${url} is not usable: ${(e as Error).message}`);
        }
      },
      source: () => token
        ? `The answer was signed by the center (checked with terminal ${terminal}'s key).`
        : `The answer was not signed: it comes from whatever listens at ${url}. Give --center-token FILE (a terminal's token) to check that it is the center.`,
    };
  }
  const dir = join(resolve(flags.var ?? 'var'), 'center');
  const jsonl = jsonlLogOf(dir);
  const database = join(dir, 'center.sqlite');
  // The log is in the center's database; a JSON-lines log under its own name is one no center has imported yet
  // (a folder of an older version not started since), and is all there is to read.
  if (!existsSync(jsonl) && !existsSync(database)) {
    throw new UsageError(`no issuance log at ${database}. Give the kiosk's folder (--var DIR, as given to kiosk start) or its center (--center URL).`);
  }
  let log: IssuanceStore;
  const file = existsSync(jsonl) ? jsonl : database;
  try {
    // Only read: a center may be writing it right now.
    log = file === jsonl ? new IssuanceLog(file, { readOnly: true }) : new SqliteIssuanceLog(openCenterDatabase(file, { readOnly: true }));
  } catch (e) {
    if (e instanceof IssuanceLogError || e instanceof CenterRecordsError) throw new StartError(`${e.message} Nothing can be verified against it until then.`);
    throw new StartError(`cannot read the issuance log ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).name}): give a folder whose log you may read (--var DIR)`);
  }
  return {
    find: async (code) => {
      try {
        return log.find(code);
      } catch (e) {
        // A database a writer holds longer than the wait (5 s), or left by a crash mid-write (a journal to roll back).
        throw new StartError(`cannot read the issuance log ${file} (${(e as Error).message}): try again, or start the center once (kiosk center serve --var DIR) if it stopped mid-write`);
      }
    },
    source: () => null,
  };
}

/** A file's size as a person reads it, exactly enough never to read as the limit: whole MB, or else in bytes. */
const size = (bytes: number) => (bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20} MB` : `${bytes.toLocaleString('en-US')} bytes`);

/** The text of a PDF, by poppler's pdftotext (what a person's copy-and-paste would give). */
async function pdfText(file: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 16 << 20, timeout: PDFTOTEXT_TIMEOUT_MS, killSignal: 'SIGKILL' });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; killed?: boolean; signal?: string };
    if (err.code === 'ENOENT') throw new StartError('pdftotext is missing: install poppler-utils (apt-get install poppler-utils).');
    if (err.killed || err.signal) throw new UsageError(`${file} took pdftotext more than ${PDFTOTEXT_TIMEOUT_MS / 1000} s: it is not a certificate the kiosk printed`);
    throw new UsageError(`${file} is not a readable PDF (${(err.stderr ?? err.message).trim()})`);
  }
}

const cityName = (code: string) => loadSampleData().municipalities.find((m) => m.code === code)?.name ?? `municipality ${code}`;

function describe(r: IssuanceRecord): string[] {
  const t = japanTime(r.issuedAt);
  const hhmm = `${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')}`;
  return [
    `  ${r.title}  copy ${r.copy} of ${r.copies}`,
    `  issuance number ${r.issuanceNumber}, issued ${t.date} ${hhmm} (Japan time) at terminal ${r.terminal}, ${cityName(r.city)}`,
    `  verification code ${r.verificationCode}`,
  ];
}

/** `kiosk verify`, its flags parsed and checked (main.ts). */
export async function verifyCommand(rest: string[], flags: Flags, out: Console): Promise<number> {
  // Output piped into a program that stops reading (kiosk verify … | head -1) is no error of the verdict.
  const closedPipe = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  };
  process.stdout.on('error', closedPipe);
  if (rest.length !== 1) throw new UsageError(rest.length ? `one file or code at a time (got ${rest.length})` : 'name a PDF file or a verification code');
  const [what] = rest;
  const isFile = existsSync(what);
  if (!isFile && !CODE.test(what)) {
    throw new UsageError(`"${what.length > 60 ? `${what.slice(0, 60)}…` : what}" is neither a file nor a verification code (16 digits as 1234-5678-9012-3456)`);
  }
  if (isFile) {
    const st = statSync(what);
    if (!st.isFile()) throw new UsageError(`${what} is not a file`);
    if (st.size > MAX_PDF_BYTES) throw new UsageError(`${what} is ${size(st.size)}: a printed certificate is far smaller (at most ${MAX_PDF_BYTES / 2 ** 20} MB${st.size % 2 ** 20 ? ` = ${MAX_PDF_BYTES.toLocaleString('en-US')} bytes` : ''} is read), so it is not one`);
  }
  const lookup = await lookupFrom(flags);
  const said = (code: number) => {
    const source = lookup.source();
    if (source) out.log(`  ${source}`);
    return code;
  };
  if (!isFile) {
    const r = await lookup.find(what);
    if (!r) {
      out.log(`NOT GENUINE: no certificate with verification code ${what} was issued.`);
      return said(VERIFY_EXIT.notGenuine);
    }
    out.log('GENUINE: the code belongs to a certificate the center issued.');
    for (const line of describe(r)) out.log(line);
    out.log('  Compare the paper with these details; give the PDF itself to check it is unchanged.');
    return said(VERIFY_EXIT.genuine);
  }
  const bytes = readFileSync(what);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new UsageError(`${what} is not a PDF file`);
  const text = await pdfText(what);
  const code = CODE.exec(text)?.[0];
  if (!code) {
    out.log(`NOT GENUINE: ${what} carries no verification code (a konbini certificate prints one on its back).`);
    return VERIFY_EXIT.notGenuine;
  }
  const r = await lookup.find(code);
  if (!r) {
    out.log(`NOT GENUINE: no certificate with verification code ${code} was issued.`);
    return said(VERIFY_EXIT.notGenuine);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (!text.includes(r.issuanceNumber)) {
    out.log(`CHANGED: the code ${code} is genuine, but ${what} does not carry its issuance number ${r.issuanceNumber}.`);
    for (const line of describe(r)) out.log(line);
    return said(VERIFY_EXIT.notGenuine);
  }
  if (!r.pdfSha256) {
    // The code is real, but nothing says this file is the one printed: anybody can print a code and a number.
    out.log(`GENUINE CODE, FILE NOT CHECKED: the center holds no digest of the printed file for ${code}, so ${what} itself could not be checked (exit 3); compare the paper with:`);
    for (const line of describe(r)) out.log(line);
    return said(VERIFY_EXIT.fileNotChecked);
  }
  if (r.pdfSha256 !== digest) {
    out.log(`CHANGED: the code ${code} is genuine, but ${what} is not the file that was printed (SHA-256 differs).`);
    for (const line of describe(r)) out.log(line);
    return said(VERIFY_EXIT.notGenuine);
  }
  out.log(`GENUINE: ${what} is the certificate the center issued, unchanged.`);
  for (const line of describe(r)) out.log(line);
  return said(VERIFY_EXIT.genuine);
}
