#!/usr/bin/env node
// The `kiosk` command. The project is TypeScript run through tsx, so no build step stands between a checkout
// and a running kiosk. Exits when the command is done: pcsclite's native status threads can outlive a closed
// PC/SC context for minutes, and a finished command should not wait for them.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../kiosk/cli/main.ts');
const code = await main(process.argv.slice(2));
// Let stdout and stderr drain before leaving (they are asynchronous when piped).
await new Promise((resolve) => process.stdout.write('', () => process.stderr.write('', resolve)));
process.exit(code);
