// `kiosk verify FILE.pdf|CODE`: what a receiving organization (a bank, an employer) does with a konbini
// certificate: look the verification code on its back up in the issuing center's log, and, given the PDF, check
// that it is the very file that was printed. Exit 0 genuine, 1 not genuine or changed, 2 bad input.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { IssuanceRecord } from '../center/issuance-center.ts';
import { IssuanceLog } from '../center/issuance-log.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import { StartError, UsageError, centerUrl, parseFlags } from './cli.ts';
import { loadSampleData } from './sample-data.ts';

const CODE = /\b\d{4}-\d{4}-\d{4}-\d{4}\b/;
/** A printed certificate is at most ten sheets, well under 2 MB; anything far larger is not one, and is not read whole. */
export const MAX_PDF_BYTES = 16 * 2 ** 20;
/** pdftotext gets this long: a real certificate takes well under a second; a PDF built to hang it is given up. */
export const PDFTOTEXT_TIMEOUT_MS = 10_000;

/** Looks codes up either in a center process or directly in an issuance log on disk. */
type Lookup = (code: string) => Promise<IssuanceRecord | null>;

async function lookupFrom(flags: Record<string, string>): Promise<Lookup> {
  if (flags.center && flags.var) throw new UsageError('give either --var or --center, not both');
  if (flags.center) {
    const { CenterClient } = await import('../center/center-client.ts');
    const client = new CenterClient({ url: flags.center });
    return (code) => client.verify(code);
  }
  const file = join(resolve(flags.var ?? 'var'), 'center', 'issuance-log.jsonl');
  if (!existsSync(file)) {
    throw new UsageError(`no issuance log at ${file}. Give the kiosk's folder (--var DIR, as given to kiosk start) or its center (--center URL).`);
  }
  const log = new IssuanceLog(file);
  return async (code) => log.find(code);
}

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

export async function verifyCommand(args: string[], out: Console): Promise<number> {
  const { flags, rest } = parseFlags(args, { var: () => null, center: centerUrl });
  if (rest.length !== 1) throw new UsageError(rest.length ? `one file or code at a time (got ${rest.length})` : 'name a PDF file or a verification code');
  const [what] = rest;
  const isFile = existsSync(what);
  if (!isFile && !CODE.test(what)) {
    throw new UsageError(`"${what.length > 60 ? `${what.slice(0, 60)}…` : what}" is neither a file nor a verification code (16 digits as 1234-5678-9012-3456)`);
  }
  if (isFile) {
    const st = statSync(what);
    if (!st.isFile()) throw new UsageError(`${what} is not a file`);
    if (st.size > MAX_PDF_BYTES) throw new UsageError(`${what} is ${(st.size / 2 ** 20).toFixed(0)} MB: a printed certificate is far smaller (at most ${MAX_PDF_BYTES / 2 ** 20} MB is read), so it is not one`);
  }
  const lookup = await lookupFrom(flags);
  if (!isFile) {
    const r = await lookup(what);
    if (!r) {
      out.log(`NOT GENUINE: no certificate with verification code ${what} was issued.`);
      return 1;
    }
    out.log('GENUINE: the code belongs to a certificate the center issued.');
    for (const line of describe(r)) out.log(line);
    out.log('  Compare the paper with these details; give the PDF itself to check it is unchanged.');
    return 0;
  }
  const bytes = readFileSync(what);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new UsageError(`${what} is not a PDF file`);
  const text = await pdfText(what);
  const code = CODE.exec(text)?.[0];
  if (!code) {
    out.log(`NOT GENUINE: ${what} carries no verification code (a konbini certificate prints one on its back).`);
    return 1;
  }
  const r = await lookup(code);
  if (!r) {
    out.log(`NOT GENUINE: no certificate with verification code ${code} was issued.`);
    return 1;
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (!text.includes(r.issuanceNumber)) {
    out.log(`CHANGED: the code ${code} is genuine, but ${what} does not carry its issuance number ${r.issuanceNumber}.`);
    for (const line of describe(r)) out.log(line);
    return 1;
  }
  if (!r.pdfSha256) {
    out.log(`GENUINE CODE, FILE NOT CHECKED: the center holds no digest of the printed file for ${code}; compare the paper with:`);
    for (const line of describe(r)) out.log(line);
    return 0;
  }
  if (r.pdfSha256 !== digest) {
    out.log(`CHANGED: the code ${code} is genuine, but ${what} is not the file that was printed (SHA-256 differs).`);
    for (const line of describe(r)) out.log(line);
    return 1;
  }
  out.log(`GENUINE: ${what} is the certificate the center issued, unchanged.`);
  for (const line of describe(r)) out.log(line);
  return 0;
}
