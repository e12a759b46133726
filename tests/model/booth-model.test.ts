// Model-based test of the photo booth's machine (machine/booth/): a breadth-first walk over every state the stimuli
// of a person, the booth's devices and the center can reach, each event sent to a real actor restored from the state
// before it. Every transition the machine defines must fire, and at every step: the screen is one the booth has, the
// money adds up (nothing handed back or kept that was not inserted, the fee kept only for an application J-LIS has),
// a refund asks for exactly what is still held, and the change paid is what was inserted over the fee.
import { createActor, type SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import { boothMachine, boothScreenOf } from '../../machine/booth/booth-machine.ts';
import { BOOTH_SCREENS, type BoothCommand, type BoothEvent } from '../../machine/booth/types.ts';
import { machineTransitions, transitionKey } from '../../kiosk/journeys/transitions.ts';

type Snapshot = SnapshotFrom<typeof boothMachine>;
const FORM = '25762242390461768938943';
const GOOD = { face: true, centred: true, lit: true, plainBackground: true };
const DARK = { face: true, centred: true, lit: false, plainBackground: true };

/** What can happen next, by screen and step: a person's taps, the devices' and the center's answers. */
function stimuli(s: Snapshot): BoothEvent[] {
  const c = s.context;
  const screen = boothScreenOf(s.value);
  const step = s.matches({ session: { scan: 'checking' } }) || s.matches({ session: { 'birth-date': 'checking' } }) ? 'checking' : null;
  const leave: BoothEvent[] = [{ type: 'ui.cancel' }, { type: 'timeout' }, ...(c.warning ? [{ type: 'ui.continue' } as const] : [])];
  const pending = c.inserted - c.returned - c.charged - c.owed;
  const money: BoothEvent[] = pending > 0 ? [{ type: 'cash.refunded', amount: pending }, { type: 'cash.payoutFailed', amount: pending }] : [];
  switch (screen) {
    case 'top':
      return [{ type: 'ui.start' }, c.outOfOrder ? { type: 'terminal.inService' } : { type: 'terminal.outOfOrder' }];
    case 'payment':
      return [{ type: 'cash.inserted', amount: 500, total: c.inserted + 500 }, { type: 'cash.inserted', amount: 5000, total: c.inserted + 5000 }, ...leave];
    case 'scan':
      return step === 'checking'
        ? [{ type: 'center.form.ok' }, { type: 'center.form.refused', reason: 'form-used' }, { type: 'center.unreachable' }, { type: 'ui.cancel' }]
        : [{ type: 'qr.scanned', text: `https://net.kojinbango-card.example/apply?id=${FORM}` }, { type: 'qr.scanned', text: 'https://example.com/' }, ...leave];
    case 'birth-date':
      return step === 'checking'
        ? [{ type: 'center.form.ok' }, { type: 'center.birthDate.wrong' }, { type: 'center.form.refused', reason: 'form-outdated' }, { type: 'center.unreachable' }]
        : [{ type: 'ui.enterBirthDate', birthDate: '1982-09-30' }, ...leave];
    case 'options':
      return [{ type: 'ui.setOptions', certificates: true, braille: false }, ...leave];
    case 'photo':
      if (s.matches({ session: { photo: 'capturing' } })) return [{ type: 'camera.taken', checks: GOOD, sha256: 'a'.repeat(64) }, { type: 'camera.taken', checks: DARK, sha256: 'b'.repeat(64) }, { type: 'camera.failed' }];
      if (s.matches({ session: { photo: 'review' } })) return [{ type: 'ui.acceptPhoto' }, { type: 'ui.retakePhoto' }, ...leave];
      return [{ type: 'ui.takePhoto' }, ...leave];
    case 'confirm':
      return s.matches('sending')
        ? [{ type: 'center.application.done', application: 1, arrivesOn: '2027-01-05' }, { type: 'center.form.refused', reason: 'form-used' }, { type: 'center.unreachable' }, { type: 'ui.cancel' }]
        : [{ type: 'ui.confirm' }, { type: 'ui.back' }, ...leave];
    case 'done':
      return [
        ...(s.matches({ done: 'printing' }) ? [{ type: 'print.done' } as const, { type: 'print.failed' } as const] : [{ type: 'ui.done' } as const, { type: 'timeout' } as const]),
        ...(pending > 0 ? [{ type: 'cash.paidOut', amount: pending } as const, { type: 'cash.payoutFailed', amount: pending } as const] : []),
      ];
    default:
      return [{ type: 'ui.done' }, { type: 'timeout' }, ...money];
  }
}

/** What a state is for the walk: the flow and the money, not the photo's digest. */
const key = (s: Snapshot) => {
  const c = s.context;
  return JSON.stringify([s.value, c.warning, Math.min(c.inserted, 6000), c.returned, c.charged, c.owed, c.birthDateTries, c.birthDateWrong, c.photoTries,
    c.photo?.checks.lit ?? null, c.reason, c.outOfOrder, c.notice, c.application !== null]);
};

describe('the photo booth machine, walked by its model', () => {
  it('fires every transition, with the screen defined and the money adding up at every step', () => {
    const fired = new Set<string>();
    const problems: string[] = [];
    const start = createActor(boothMachine, { input: {} }).start();
    const seen = new Map<string, unknown>([[key(start.getSnapshot()), start.getPersistedSnapshot()]]);
    const queue: unknown[] = [start.getPersistedSnapshot()];
    let steps = 0;
    while (queue.length) {
      const persisted = queue.shift();
      const before = createActor(boothMachine, { input: {}, snapshot: persisted as never }).getSnapshot();
      for (const event of stimuli(before)) {
        const commands: BoothCommand[] = [];
        const actor = createActor(boothMachine, {
          input: {}, snapshot: persisted as never,
          inspect: (e) => {
            if (e.type === '@xstate.microstep') for (const t of (e as unknown as { _transitions: Parameters<typeof transitionKey>[0][] })._transitions) fired.add(transitionKey(t));
          },
        });
        actor.on('*', (c) => commands.push(c as BoothCommand));
        actor.start();
        actor.send(event);
        steps++;
        const after = actor.getSnapshot();
        const c = after.context;
        const where = `${key(before)} --${event.type}-->`;
        if (!(BOOTH_SCREENS as readonly string[]).includes(boothScreenOf(after.value))) problems.push(`${where} no screen`);
        if (c.returned + c.charged + c.owed > c.inserted) problems.push(`${where} more handed back or kept than inserted`);
        if (c.charged !== 0 && (c.charged !== c.settings.photoFee || !c.application)) problems.push(`${where} the fee kept without an application`);
        for (const cmd of commands) {
          if (cmd.type === 'cash.refund' && (cmd.amount <= 0 || cmd.amount !== before.context.inserted - before.context.returned - before.context.charged)) problems.push(`${where} refund of ${cmd.amount}`);
          if (cmd.type === 'cash.payout' && cmd.change !== c.inserted - c.settings.photoFee) problems.push(`${where} change of ${cmd.change}`);
          if (cmd.type === 'center.apply' && !(before.context.photo && before.context.photo.checks.lit)) problems.push(`${where} a failing photo sent`);
        }
        const k = key(after);
        if (!seen.has(k)) {
          seen.set(k, actor.getPersistedSnapshot());
          queue.push(actor.getPersistedSnapshot());
        }
        actor.stop();
      }
    }
    if (process.env.BOOTH_MODEL_FIGURES) console.log(`booth model: ${seen.size} states, ${steps} steps, ${fired.size} transitions fired`);
    expect(problems.slice(0, 10)).toEqual([]);
    const all = machineTransitions(boothMachine).map((t) => t.key);
    expect(all.filter((t) => !fired.has(t))).toEqual([]);
    expect(seen.size).toBeGreaterThan(100);
    expect(steps).toBeGreaterThan(seen.size);
  });

  it('a whole application: the fee kept once J-LIS has it, the change paid, the slip printed, and the next person starts afresh', () => {
    const actor = createActor(boothMachine, { input: {} }).start();
    const commands: BoothCommand[] = [];
    actor.on('*', (c) => commands.push(c as BoothCommand));
    const send = (...events: BoothEvent[]) => events.forEach((e) => actor.send(e));
    send({ type: 'ui.start' }, { type: 'cash.inserted', amount: 5000, total: 5000 });
    expect(boothScreenOf(actor.getSnapshot().value)).toBe('scan');
    send({ type: 'qr.scanned', text: FORM }, { type: 'center.form.ok' });
    send({ type: 'ui.enterBirthDate', birthDate: '1982-09-29' }, { type: 'center.birthDate.wrong' });
    expect(actor.getSnapshot().context.birthDateWrong).toBe(true);
    send({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' }, { type: 'center.form.ok' });
    send({ type: 'ui.setOptions', certificates: false, braille: true }, { type: 'ui.takePhoto' }, { type: 'camera.taken', checks: DARK, sha256: 'b'.repeat(64) });
    send({ type: 'ui.acceptPhoto' });
    expect(boothScreenOf(actor.getSnapshot().value)).toBe('photo');
    send({ type: 'ui.retakePhoto' }, { type: 'ui.takePhoto' }, { type: 'camera.taken', checks: GOOD, sha256: 'a'.repeat(64) }, { type: 'ui.acceptPhoto' }, { type: 'ui.confirm' });
    send({ type: 'center.application.done', application: 7, arrivesOn: '2027-01-05' });
    expect(commands.filter((c) => c.type.startsWith('center.') || c.type.startsWith('cash.p') || c.type === 'print.slip')).toEqual([
      { type: 'center.checkForm', form: FORM },
      { type: 'center.checkForm', form: FORM, birthDate: '1982-09-29' },
      { type: 'center.checkForm', form: FORM, birthDate: '1982-09-30' },
      { type: 'center.apply', form: FORM, birthDate: '1982-09-30', certificates: false, braille: true, photoSha256: 'a'.repeat(64) },
      { type: 'cash.payout', charged: 1000, change: 4000 },
      { type: 'print.slip', form: FORM, application: 7, arrivesOn: '2027-01-05' },
    ]);
    send({ type: 'cash.paidOut', amount: 4000 }, { type: 'print.done' }, { type: 'ui.done' });
    expect(actor.getSnapshot().value).toBe('top');
    expect(actor.getSnapshot().context).toMatchObject({ inserted: 0, form: null, photo: null, application: null });
  });
});
