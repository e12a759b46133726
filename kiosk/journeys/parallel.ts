// Runs many journeys: in this thread one after another, or spread over worker threads (`--workers N`), each
// taking the next journey as it finishes one, so that a slow journey never holds up a whole share. Results come
// back in file order whatever order they finished in.
import { oracleChecks } from './oracles.ts';
import { availableParallelism } from 'node:os';
import { Worker, parentPort } from 'node:worker_threads';
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import type { Journey } from './format.ts';
import { runJourney, type JourneyResult, type RunOptions } from './run.ts';

/** Options that cross into worker threads: plain data only. */
export interface BatchOptions {
  printer?: 'null' | 'spool';
  printSpeed?: RunOptions['printSpeed'];
  spoolDir?: string;
  reader?: RunOptions['reader'];
  /** A center started with `kiosk center serve`; each journey gets a client of its own. */
  centerUrl?: string;
  /**
   * The terminal's token for that center (read from `--center-token FILE`): it goes to the worker threads in their
   * messages, never in an argument, a log or a report.
   */
  centerToken?: string;
  /** The terminal the journeys run as (the token's: the center checks that the issuance requests name it). */
  terminalId?: string;
  /** Threads running journeys, this one included (default: min(cores, journeys)). */
  workers?: number;
  /** A card store the journeys share (`--cards DIR`): their cards keep their state across journeys and runs. */
  cardsDir?: string;
  /** `--trace FILE`: each journey adds its APDUs to it. */
  tracePath?: string;
  /** Check the walks' oracles after every step too (oracles.ts): `kiosk journey run --oracles`. */
  oracles?: boolean;
}

/**
 * One thread per core, as many as there are journeys; but a worker thread takes about a second to start (it loads
 * the whole kiosk), so a run this thread finishes sooner on its own (a few dozen journeys) stays in it.
 */
export function defaultWorkers(journeys: number): number {
  return journeys < SMALL_RUN ? 1 : Math.max(1, Math.min(availableParallelism(), journeys));
}
const SMALL_RUN = 100;
/** A worker's first journey costs it a cold start: it gets one only when this much work is left for the others. */
const WORTH_A_WORKER_MS = 400;

async function centerFor(url: string | undefined, token: string | undefined): Promise<IssuanceCenter | undefined> {
  if (!url) return undefined;
  const { CenterClient } = await import('../../center/center-client.ts');
  return new CenterClient({ url, token });
}

async function runOne(journey: Journey, options: BatchOptions): Promise<JourneyResult> {
  return runJourney(journey, {
    printer: options.printer ?? 'null', spoolDir: options.spoolDir, reader: options.reader,
    center: await centerFor(options.centerUrl, options.centerToken), terminalId: options.centerUrl ? options.terminalId : undefined,
    cardsDir: options.cardsDir, tracePath: options.tracePath, printSpeed: options.printSpeed,
    checks: options.oracles ? oracleChecks : undefined,
  });
}

type ToWorker = { type: 'run'; index: number; journey: Journey; options: BatchOptions } | { type: 'stop' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; index: number; result: JourneyResult }
  | { type: 'error'; index: number; name: string; message: string };

/** A journey run hit an error that is not a journey failure (no pcscd, a center that went away…). */
export class BatchError extends Error {
  constructor(readonly original: string, message: string) {
    super(message);
    this.name = original;
  }
}

/**
 * Runs the journeys and resolves with their results in the order given. `onResult` is called in that order too, as
 * soon as a result and all before it are in (for a live PASS/FAIL listing).
 */
export async function runJourneys(journeys: Journey[], options: BatchOptions = {}, onResult?: (r: JourneyResult, index: number) => void): Promise<JourneyResult[]> {
  const results: Array<JourneyResult | undefined> = new Array(journeys.length);
  let reported = 0;
  const deliver = (index: number, r: JourneyResult) => {
    results[index] = r;
    while (reported < journeys.length && results[reported]) {
      onResult?.(results[reported]!, reported);
      reported += 1;
    }
  };
  // Cards through one pcscd reader cannot be shared: a PC/SC run is always one journey at a time.
  const workers = options.reader?.kind === 'pcsc' ? 1 : Math.min(options.workers ?? defaultWorkers(journeys.length), journeys.length);
  let next = 0;
  if (workers <= 1) {
    while (next < journeys.length) {
      const i = next++;
      deliver(i, await runOne(journeys[i], options));
    }
    return results as JourneyResult[];
  }

  const threads: Worker[] = [];
  let spentHere = 0;
  let ranHere = 0;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      if (e) {
        done = true;
        reject(e);
        return;
      }
      if (results.filter(Boolean).length === journeys.length) {
        done = true;
        resolve();
      }
    };
    const give = (w: Worker, fresh: boolean) => {
      // A worker just started is slow on its first journey: not worth it for the last few.
      const left = (journeys.length - next) * (ranHere ? spentHere / ranHere : 50);
      if (next >= journeys.length || (fresh && left < WORTH_A_WORKER_MS)) return void w.postMessage({ type: 'stop' } satisfies ToWorker);
      const i = next++;
      w.postMessage({ type: 'run', index: i, journey: journeys[i], options } satisfies ToWorker);
    };
    for (let t = 0; t < workers - 1; t++) {
      const w = new Worker(new URL('./worker.mjs', import.meta.url));
      threads.push(w);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'result') {
          deliver(m.index, m.result);
          finish();
        }
        if (m.type === 'error') return finish(new BatchError(m.name, m.message));
        if (!done) give(w, m.type === 'ready');
      });
      w.on('error', (e: Error) => finish(e));
    }
    // This thread takes its share too, between the workers' messages (the runner yields at every step).
    void (async () => {
      while (next < journeys.length && !done) {
        const i = next++;
        const t = performance.now();
        try {
          deliver(i, await runOne(journeys[i], options));
        } catch (e) {
          return finish(e as Error);
        }
        spentHere += performance.now() - t;
        ranHere += 1;
        finish();
      }
    })();
  }).finally(() => {
    // Not waited for: a worker still starting up (loading the kiosk) can take a while to stop, and holds nothing.
    for (const w of threads) {
      w.unref();
      void w.terminate();
    }
  });
  return results as JourneyResult[];
}

/** The worker thread's side (worker.mjs calls it): run what the main thread sends, answer with the result. */
export function workerMain(): void {
  const port = parentPort!;
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'stop') return;
    try {
      const result = await runOne(m.journey, m.options);
      port.postMessage({ type: 'result', index: m.index, result } satisfies FromWorker);
    } catch (e) {
      const err = e as Error;
      port.postMessage({ type: 'error', index: m.index, name: err?.name ?? 'Error', message: String(err?.message ?? e) } satisfies FromWorker);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
