// The layer rules of ../shared/ARCHITECTURE.md, checked on the code as it is: no circle, no import running up a floor
// (machine/ and storage/ on the ground; reader/ and printer/ the devices; center/; samples/; kiosk/; kiosk/cli/ on top),
// the machine without I/O, the UI without Node. The rules are .dependency-cruiser.cjs; `npx depcruise machine storage
// reader printer center samples kiosk bin` prints the same verdict by hand. A made-up tree proves each rule bites.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ROOMS = ['machine', 'storage', 'reader', 'printer', 'center', 'samples', 'kiosk', 'bin'];
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** Every rule broken under `baseDir`, as "rule: from → to", and how many files were read. */
async function violations(baseDir: string, rooms: string[]): Promise<{ broken: string[]; files: number }> {
  const { output } = await cruise(rooms, {
    ...config.options,
    baseDir,
    ruleSet: { forbidden: config.forbidden },
    outputType: 'json',
    validate: true,
  });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  const broken = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
  return { broken, files: result.summary.totalCruised };
}

describe('the house keeps its layers', () => {
  it('no circle, no import running up, the machine pure, the UI without Node', async () => {
    const { broken, files } = await violations(ROOT, ROOMS);
    expect(broken).toEqual([]);
    expect(files).toBeGreaterThan(150);
  }, 60_000);

  it('each rule fails on a tree that breaks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-layers-'));
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file('machine/flow.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n");
    file('printer/layout.ts', "import { k } from '../kiosk/terminal.ts';\nexport const p = k;\n");
    file('center/center.ts', "import { s } from '../samples/data.ts';\nexport const c = s;\n");
    file('samples/data.ts', 'export const s = 1;\n');
    file('kiosk/terminal.ts', "import { r } from './runtime.ts';\nimport { flag } from './cli/flags.ts';\nexport const k = r + flag;\n");
    file('kiosk/runtime.ts', "import { k } from './terminal.ts';\nexport const r = 1;\nexport const again = () => k;\n");
    file('kiosk/cli/flags.ts', 'export const flag = 1;\n');
    file('kiosk/ui/screen.tsx', "import { createHash } from 'node:crypto';\nexport const h = createHash;\n");
    const found = (await violations(dir, ['machine', 'printer', 'center', 'samples', 'kiosk'])).broken;
    const rules = new Set(found.map((v) => v.split(':')[0]));
    expect([...rules].sort()).toEqual(['center-serves-terminals', 'command-line-on-top', 'machine-is-pure', 'no-circular', 'printer-is-a-device', 'ui-runs-in-the-browser']);
    expect(found).toContain('printer-is-a-device: printer/layout.ts → kiosk/terminal.ts');
    expect(found.find((v) => v.startsWith('no-circular'))).toMatch(/kiosk\/(terminal|runtime)\.ts/);
  }, 60_000);
});
