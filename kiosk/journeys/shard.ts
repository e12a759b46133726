// Journeys spread over CI machines: `kiosk journey run --shard i/n` runs the i-th of n parts of a set, the same
// part on every machine for the same files (sorted by path, then dealt out in turn, so that the parts differ by one
// journey at most); `kiosk journey merge` joins the parts' JSON reports into one set of results for one JUnit, HTML
// and JSON report. A journey found in two parts, or a file that is no journeys report, is refused.
import { relative } from 'node:path';
import type { JourneyResult } from './run.ts';

export interface Shard {
  index: number;
  count: number;
}

export class ShardError extends Error {}

/** `i/n`, 1 ≤ i ≤ n ≤ 1000, or a ShardError saying what was expected. */
export function parseShard(v: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) throw new ShardError(`--shard ${v}: expected i/n, the part i of n (1 ≤ i ≤ n ≤ 1000), e.g. 2/4`);
  return { index, count };
}

/** The files of part `shard`: all files sorted by path from `root`, every n-th from the i-th. */
export function shardFiles(files: readonly string[], shard: Shard, root = process.cwd()): string[] {
  const sorted = [...new Set(files)].sort((a, b) => (relative(root, a) < relative(root, b) ? -1 : relative(root, a) > relative(root, b) ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/** The results of several parts' JSON reports (`kiosk journey run --json FILE`), in the order of the files given. */
export function mergeReports(reports: ReadonlyArray<{ file: string; text: string }>): JourneyResult[] {
  const results: JourneyResult[] = [];
  const from = new Map<string, string>();
  for (const { file, text } of reports) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ShardError(`${file} is not JSON (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 80)}): give the files \`kiosk journey run --json FILE.json\` wrote`);
    }
    const journeys = (parsed as { journeys?: unknown })?.journeys;
    if (!Array.isArray(journeys) || !journeys.every((j) => j && typeof j.file === 'string' && typeof j.passed === 'boolean' && Array.isArray(j.steps))) {
      throw new ShardError(`${file} is no journeys report (no "journeys" list of results): give the files \`kiosk journey run --json FILE.json\` wrote`);
    }
    for (const j of journeys as JourneyResult[]) {
      const earlier = from.get(j.file);
      if (earlier) throw new ShardError(`${j.file} is in both ${earlier} and ${file}: were two parts given the same --shard?`);
      from.set(j.file, file);
      results.push(j);
    }
  }
  return results;
}
