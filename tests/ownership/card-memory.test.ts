// A card is an object with a life: its PIN counter is the card's, kept in the card store under --var, so a PIN
// locked by three wrong tries stays locked when the same card goes back on the reader, after a restart of the kiosk,
// and until staff give the tries back (recorded as an operator action). Through a real `kiosk start` and its
// WebSocket, as a person (or someone trying every PIN from 0000 upward) meets it.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIN, Screen, T, kiosk, startKiosk, toPin, type KioskProcess } from './kiosk-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-card-memory-'));
const flags = ['--var', join(dir, 'var'), '--spool', join(dir, 'spool'), '--clock', T, '--printer', 'null'];
const running: KioskProcess[] = [];
afterAll(async () => {
  for (const k of running) await k.stop();
});

/** Wrong PINs, one after the other, as someone guessing from 0000 upward would type them. */
async function guess(s: Screen, count: number): Promise<void> {
  for (let i = 0; i < count && s.view?.screen === 'pin-entry'; i++) {
    const guess = String(i).padStart(4, '0') === PIN ? '9999' : String(i).padStart(4, '0');
    const before = s.frames.length;
    s.send({ type: 'pin', digits: guess });
    await s.until((v) => s.frames.length > before && v.step !== 'verifying');
  }
}

describe('the card remembers its PIN counter', () => {
  it('three wrong PINs lock it; put back on the reader it is still locked, and after a restart; staff give the tries back', async () => {
    let k = await startKiosk(flags);
    running.push(k);
    let s = await Screen.open(k.url);
    await toPin(s);
    await guess(s, 3);
    await s.screen('pin-locked');
    expect(s.devices!.reader).toMatchObject({ cardId: 'kawasaki-taro-1', pins: { auth: 0 } });
    s.tap({ type: 'ui.done' });
    s.operator('remove-card');
    await s.until((v, d) => v.screen === 'top' && !d.reader.cardPresent);

    // The same card back on the reader: the kiosk reads the locked counter and never offers the PIN pad again.
    expect((await toPin(s)).screen).toBe('pin-locked');
    s.send({ type: 'pin', digits: PIN });
    expect(await s.error()).toMatch(/not possible on the pin-locked screen/);
    s.tap({ type: 'ui.done' });
    s.operator('remove-card');
    await s.until((v, d) => v.screen === 'top' && !d.reader.cardPresent);
    s.close();
    expect(await k.stop()).toBe(0);

    // The store says so, from outside (no PIN and no digest in the listing), and so does a restarted kiosk.
    const list = kiosk('card', 'list', '--var', join(dir, 'var'), '--json');
    expect(list.status).toBe(0);
    const cards = JSON.parse(list.stdout).cards;
    expect(cards).toEqual([expect.objectContaining({ id: 'kawasaki-taro-1', current: true, onReader: null, pins: expect.objectContaining({ auth: { triesLeft: 0, locked: true } }) })]);
    expect(list.stdout).not.toMatch(/sha256|salt/);
    k = await startKiosk(flags);
    running.push(k);
    s = await Screen.open(k.url);
    expect((await toPin(s)).screen).toBe('pin-locked');
    s.tap({ type: 'ui.done' });
    s.operator('remove-card');
    await s.until((v, d) => v.screen === 'top' && !d.reader.cardPresent);

    // Staff give the tries back (the stand-in for the ward office's reset): the right PIN works again.
    s.operator('restore-tries', { persona: 'kawasaki-taro' });
    await toPin(s);
    expect(s.devices!.reader.pins).toMatchObject({ auth: 3 });
    s.send({ type: 'pin', digits: PIN });
    await s.screen('card-removal');
    s.close();
    await k.stop();
    const record = JSON.parse(readFileSync(join(dir, 'var', 'cards', 'kawasaki-taro-1.json'), 'utf8'));
    expect(record.history.map((e: { event: string; pin?: string; by?: string }) => [e.event, e.pin ?? null, e.event === 'made' ? null : e.by ?? null])).toEqual([
      ['made', null, null], ['pin-locked', 'auth', null],
      ['tries-restored', 'auth', 'operator'], ['tries-restored', 'sign', 'operator'], ['tries-restored', 'cardInfo', 'operator'],
    ]);
    // The card's file holds digests, never the PIN.
    for (const f of readdirSync(join(dir, 'var', 'cards'))) expect(readFileSync(join(dir, 'var', 'cards', f), 'utf8')).not.toContain(PIN);
  }, 90_000);

  it('someone trying every PIN over the WebSocket gets three tries, whatever they do between them', async () => {
    const own = mkdtempSync(join(tmpdir(), 'kiosk-brute-'));
    const k = await startKiosk(['--var', join(own, 'var'), '--spool', join(own, 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    const s = await Screen.open(k.url);
    let tried = 0;
    // Each round: start over, put the card back, type guesses until the kiosk stops asking.
    for (let round = 0; round < 5; round++) {
      const v = await toPin(s);
      if (v.screen === 'pin-entry') {
        const before = s.frames.length;
        await guess(s, 1);
        if (s.frames.length > before) tried += 1;
      }
      s.tap({ type: 'ui.cancel' });
      s.operator('remove-card');
      await s.until((x, d) => (x.screen === 'top' || x.screen === 'cancelled' || x.screen === 'pin-locked') && !d.reader.cardPresent);
      s.tap({ type: 'ui.done' });
      await s.screen('top');
    }
    expect(tried).toBe(3);
    s.close();
    await k.stop();
  }, 90_000);

  it('journeys start from fresh cards; with --cards DIR they share a card store, and the next journey meets the lock', () => {
    const own = mkdtempSync(join(tmpdir(), 'kiosk-journey-cards-'));
    const head = (name: string, clock: string) => `name: "${name}"\npersona: kawasaki-taro\nclock: ${clock}\nsteps:\n  - tap: government-service\n  - tap: certificate-service\n  - tap: my-number-card\n  - tap: accept-terms\n  - insert-card\n`;
    writeFileSync(join(own, '1-lock.yaml'), head('three wrong PINs', T) + '  - tap: residence\n  - pin: "0000"\n  - pin: "0000"\n  - pin: "0000"\n  - expect: { screen: pin-locked }\n  - tap: done\n  - remove-card\n  - insert-card\n  - tap: government-service\n');
    writeFileSync(join(own, '2-next-day.yaml'), head('the next day, the same card', '2026-11-25T10:00:00+09:00') + '  - expect: { screen: pin-locked, triesLeft: 0 }\n');
    const shared = kiosk('journey', 'run', own, '--cards', join(own, 'cards'), '--workers', '1');
    expect(shared.stdout).toContain('journeys: 2 passed, 0 failed');
    expect(shared.status).toBe(0);
    // Without --cards the second journey has a fresh card: its expectation fails.
    const fresh = kiosk('journey', 'run', join(own, '2-next-day.yaml'));
    expect(fresh.status).toBe(1);
    expect(fresh.stdout).toContain('screen is "city-select", expected "pin-locked"');
  }, 60_000);

  it('journeys in worker threads share a card store: each card\'s wrong PIN is written, through the worker\'s locks', () => {
    const own = mkdtempSync(join(tmpdir(), 'kiosk-journey-workers-'));
    const personas = ['kawasaki-taro', 'kawasaki-hanako', 'takasaki-yoshiko', 'silva-ana'];
    for (const p of personas) {
      writeFileSync(join(own, `${p}.yaml`), `name: "${p}: one wrong PIN"\npersona: ${p}\nclock: ${T}\nsteps:\n  - tap: government-service\n  - tap: certificate-service\n` +
        '  - tap: my-number-card\n  - tap: accept-terms\n  - insert-card\n  - tap: residence\n  - pin: "0000"\n  - expect: { screen: pin-entry, triesLeft: 2 }\n');
    }
    const r = kiosk('journey', 'run', own, '--cards', join(own, 'var', 'cards'), '--workers', '2');
    expect(r.stdout).toContain('journeys: 4 passed, 0 failed');
    const cards = JSON.parse(kiosk('card', 'list', '--var', join(own, 'var'), '--json').stdout).cards;
    expect(cards.map((c: { id: string; pins: { auth: { triesLeft: number } }; onReader: string | null }) => [c.id, c.pins.auth.triesLeft, c.onReader]))
      .toEqual(personas.sort().map((p) => [`${p}-1`, 2, null]));
  }, 60_000);

  it('kiosk card new gives the persona a new card; kiosk card unlock gives tries back; a card on a reader is nobody else\'s', async () => {
    const own = join(mkdtempSync(join(tmpdir(), 'kiosk-card-cli-')), 'var');
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', own).stdout).toContain('Made kawasaki-taro-1');
    expect(kiosk('card', 'new', '--persona', 'kawasaki-taro', '--var', own).stdout).toContain('Made kawasaki-taro-2');
    const listed = JSON.parse(kiosk('card', 'list', '--var', own, '--json').stdout).cards.map((c: { id: string; current: boolean }) => `${c.id} ${c.current}`);
    expect(listed).toEqual(['kawasaki-taro-1 false', 'kawasaki-taro-2 true']);
    expect(kiosk('card', 'unlock', '--persona', 'kawasaki-taro', '--pin', 'auth', '--var', own).stdout).toContain('kawasaki-taro-2: tries given back (auth 3, sign 5, cardInfo 3, juki 3)');
    for (const bad of [['card', 'new'], ['card', 'new', '--persona', 'nobody'], ['card', 'list', '--bogus', 'x'], ['card', 'unlock', '--persona', 'kawasaki-taro', '--pin', 'toe'], ['card', 'frob']]) {
      const r = kiosk(...bad, '--var', own);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr, bad.join(' ')).toMatch(/^kiosk: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // On a kiosk's reader, the card cannot be unlocked from outside, nor served elsewhere.
    const k = await startKiosk(['--var', own, '--spool', join(own, '..', 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    const s = await Screen.open(k.url);
    await toPin(s);
    const r = kiosk('card', 'unlock', '--persona', 'kawasaki-taro', '--var', own);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`kawasaki-taro's card \\(kawasaki-taro-2\\) is on another reader \\(kiosk start \\(terminal K01, port ${k.port}\\), pid ${k.child.pid}\\): take it off there first`));
    const onReader = JSON.parse(kiosk('card', 'list', '--var', own, '--json').stdout).cards.find((c: { id: string }) => c.id === 'kawasaki-taro-2');
    expect(onReader.onReader).toMatch(/^kiosk start \(terminal K01/);
    s.close();
    await k.stop();
  }, 90_000);
});
