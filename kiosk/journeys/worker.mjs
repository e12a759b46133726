// A worker thread of `kiosk journey run --workers N` (parallel.ts): the project is TypeScript run through tsx,
// so the thread registers tsx before it loads the runner.
import { register } from 'tsx/esm/api';

register();
const { workerMain } = await import('./parallel.ts');
workerMain();
