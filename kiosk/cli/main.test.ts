// The command line behaves like every other: each command and subcommand answers --help (exit 0, its usage on
// stdout), refuses an unknown flag and a stray word (exit 2, the message first, then its help), and --version
// answers the package's version. Run in this process on main(), as bin/kiosk.mjs runs it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandNames, main } from './main.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function run(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = { log: (...a: unknown[]) => stdout.push(a.join(' ')), error: (...a: unknown[]) => stderr.push(a.join(' ')) } as unknown as Console;
  const code = await main(argv, out);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const commands = commandNames();

describe('every command', () => {
  it('is listed (start, journey run|generate|coverage, card list|new|unlock|serve, reader list|watch|probe, print sample, verify, center serve|status|terminal add|list|remove, personas)', () => {
    expect(commands.map((c) => c.join(' '))).toEqual(expect.arrayContaining([
      'start', 'journey run', 'journey generate', 'journey coverage', 'card list', 'card new', 'card unlock', 'card serve',
      'reader list', 'reader watch', 'reader probe', 'print sample', 'verify', 'center serve', 'center status',
      'center terminal add', 'center terminal list', 'center terminal remove', 'personas',
    ]));
  });

  it.each(commands.map((c) => [c.join(' '), c] as const))('%s: --help exits 0 with its usage; --bogus exits 2 naming it, with its help', async (_, words) => {
    const help = await run([...words, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Usage: kiosk ${words.join(' ')}`);
    const bogus = await run([...words, '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr.split('\n')[0]).toBe('kiosk: unknown flag --bogus');
    expect(bogus.stderr).toContain(`Usage: kiosk ${words.join(' ')}`);
  });

  it('--version answers the version; kiosk help lists the exit codes', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: pkg.version });
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*2 +bad input/);
  });

  it('a stray word where a command takes none is refused by name', async () => {
    for (const words of [['personas'], ['card', 'list'], ['center', 'status'], ['reader', 'list'], ['journey', 'generate']]) {
      const r = await run([...words, 'extra']);
      expect(r.code, words.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe('kiosk: unexpected argument "extra"');
    }
  });

  it('the listing commands take --json: personas, card list, center terminal list, center status', async () => {
    const personas = await run(['personas', '--json']);
    expect(personas.code).toBe(0);
    expect(JSON.parse(personas.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'kawasaki-taro', card: 'my-number-card' })]));
    const status = await run(['center', 'status', '--var', '/nonexistent-kiosk-dir', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ servedBy: null, terminals: 0 });
  });
});
