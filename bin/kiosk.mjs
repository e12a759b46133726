#!/usr/bin/env node
// The `kiosk` command. The project is TypeScript run through tsx, so no build step stands between a checkout
// and a running kiosk.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../kiosk/cli.ts');
process.exitCode = await main(process.argv.slice(2));
