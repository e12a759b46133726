// A worker thread for hostile-journeys.test.ts: parseJourneyText is synchronous, so a timer in the test's own thread
// could never interrupt a parse that does not return (an alias bomb expanding, a loop). Here it runs in a worker the
// test can terminate() when its time guard fires. Messages: { id, file, text, personas } in; { id, ms, ... } out.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseJourneyText, JourneyFormatError } = await import('../../kiosk/journeys/format.ts');

parentPort.on('message', ({ id, file, text, personas }) => {
  const started = performance.now();
  try {
    const journey = parseJourneyText(file, text, personas);
    parentPort.postMessage({ id, ms: performance.now() - started, kind: 'journey', journey });
  } catch (e) {
    parentPort.postMessage({
      id,
      ms: performance.now() - started,
      kind: e instanceof JourneyFormatError ? 'format-error' : 'other',
      name: e?.name ?? typeof e,
      message: String(e?.message ?? e),
      stack: String(e?.stack ?? ''),
      file: e?.file,
      line: e?.line,
    });
  }
});
parentPort.postMessage({ ready: true });
