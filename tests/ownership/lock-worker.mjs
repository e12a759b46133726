// A worker thread taking folder locks (as the journey runner's workers do with --cards): tests/ownership/attacks.test.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { lockFile } = await import('../../kiosk/folder-lock.ts');
const answers = [];
try {
  lockFile(workerData.held, 'a worker thread');
  answers.push('taken');
} catch (e) {
  answers.push(`${e.name}: ${e.message}`);
}
const free = lockFile(workerData.free, 'a worker thread');
answers.push('free taken');
free.release();
parentPort.postMessage(answers);
