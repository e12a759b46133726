// The runner's JUnit XML checked by an independent validator (libxml2's xmllint) against junit.xsd beside this file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCHEMA = join(import.meta.dirname, 'junit.xsd');

/** xmllint's complaints about the file, or '' when it is valid JUnit XML. */
export function junitSchemaErrors(file: string): string {
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint did not run (${r.error.message}): apt-get install libxml2-utils (npm test does it)`);
  return r.status === 0 ? '' : r.stderr.trim() || `xmllint exited ${r.status}`;
}
