// `kiosk counter VERB --card ID`: the ward-office counter (窓口) and the 24-hour call center on the cards of a kiosk
// folder (kiosk/counter/). The card is the card store's (DIR/cards), the records the in-process center's
// (DIR/center/center.sqlite). A refusal (the counter closed, a card suspended, renewal not open yet) is exit 1 with
// why and what to do; a wrong flag or an unacceptable new PIN is exit 2. No PIN is ever printed.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CardLifeError } from '../../center/card-life.ts';
import { CenterRecordsError } from '../../center/records/center-records.ts';
import { loadSampleData, UnknownPersonaError } from '../../samples/sample-data.ts';
import { CardStoreError } from '../card-store.ts';
import { RealClock } from '../clock.ts';
import { CounterRefusal, INPUT_REFUSALS, type CounterResult, type CounterStatus, type CounterVerb, type Visitor } from '../counter/counter.ts';
import { openDesk } from '../counter/desk.ts';
import { StartError, UsageError, type Flags } from './flags.ts';


export async function counterCommand(verb: CounterVerb, flags: Flags, json: boolean, out: Console): Promise<number> {
  if (!flags.card) throw new UsageError('name the card: --card ID (a card id as kiosk card list shows it, or a persona for its current card)');
  const needs = (name: string, what: string) => {
    if (!flags[name]) throw new UsageError(`${verb} needs --${name} ${what}`);
    return flags[name]!;
  };
  // `--new -`: the new PIN from stdin (a command line is visible to every user of the machine in its process list).
  // Several at `-` (collect's --new and --password): one line each, in that order.
  // continue-card's --pin is the PIN the holder enters (the other verbs' --pin names a PIN): `-` from stdin too.
  const fromStdin = ['new', 'password', 'other', ...(verb === 'continue-card' ? ['pin'] : [])].filter((name) => flags[name] === '-');
  if (fromStdin.length) {
    const lines = await readStdinLines(fromStdin.length);
    fromStdin.forEach((name, i) => {
      const line = lines[i]?.trim();
      if (!line) throw new UsageError(`--${name} - reads a line from stdin, and there was none: give ${fromStdin.length} line${fromStdin.length > 1 ? 's' : ''} (${fromStdin.map((n) => `--${n}`).join(', then ')})`);
      flags[name] = line;
    });
  }
  const data = loadSampleData();
  const clock = new RealClock(flags.clock && flags.clock !== 'real' ? flags.clock : undefined);
  let desk;
  try {
    desk = openDesk({ varDir: flags.var ?? 'var', data, clock, desk: flags.desk });
  } catch (e) {
    if (e instanceof CenterRecordsError || e instanceof CardStoreError) throw new StartError(e.message);
    throw e;
  }
  const { counter } = desk;
  const card = flags.card;
  try {
    let result: CounterResult;
    switch (verb) {
      case 'status': {
        const status = counter.status(card);
        out.log(json ? JSON.stringify(status, null, 2) : describe(status).join('\n'));
        return 0;
      }
      case 'notice': {
        const notice = counter.notice(card);
        const file = resolve(flags.out ?? `notice-${notice.cardId}.pdf`);
        const { renderCollectionNoticePdf } = await import('../../printer/layout/collection-notice.ts');
        const pdf = await renderCollectionNoticePdf(notice);
        try {
          writeFileSync(file, pdf);
        } catch (e) {
          throw new UsageError(`cannot write ${file} (${(e as Error).message}); give --out a file in a folder that exists`);
        }
        out.log(json ? JSON.stringify({ file, notice }, null, 2) : `wrote ${file}: the 交付通知書 of ${notice.cardId}, to collect at ${notice.office?.name ?? notice.municipality} by ${notice.keptUntil}`);
        return 0;
      }
      case 'apply': {
        // The person may have no card yet: --card names the persona.
        const applied = counter.apply({ persona: card, certificates: flags.declined !== 'true', braille: flags.braille === 'true', form: flags.form });
        out.log(json ? JSON.stringify(applied, null, 2) : `Done: ${applied.summary}.`);
        return 0;
      }
      case 'reset-pin':
        result = counter.resetPin({ card, pin: needs('pin', 'auth|sign|kenhojo'), newPin: needs('new', 'VALUE'), who: (flags.who ?? 'holder') as Visitor, answered: flags.answered === 'true' });
        break;
      case 'change-pin':
        result = counter.changePin({ card, pin: needs('pin', 'auth|sign|kenhojo'), newPin: needs('new', 'VALUE') });
        break;
      case 'report-lost':
        result = counter.reportLost({ card, police: flags.police });
        break;
      case 'cancel-suspension':
        result = counter.cancelSuspension({ card });
        break;
      case 'reissue':
        result = counter.reissue({ card, express: flags.express === 'true' });
        break;
      case 'renew':
        result = counter.renew({ card });
        break;
      case 'issue-certificates':
        result = counter.issueCertificates({ card, newPin: needs('new', 'PIN (the 4-digit PIN of the new certificate)') });
        break;
      case 'change-address':
        result = counter.changeAddress({ card, to: flags.to, address: flags.address });
        break;
      case 'change-name':
        result = counter.changeName({ card, name: needs('name', 'NAME (the new name)') });
        break;
      case 'register-domicile':
        result = counter.registerDomicile({ card });
        break;
      case 'return-card':
        result = counter.returnCard({ card });
        break;
      case 'move-out':
        result = counter.moveOut({ card });
        break;
      case 'move-in':
        result = counter.moveIn({ card, to: needs('to', 'CITY (its code or name, e.g. 横浜市)'), address: flags.address });
        break;
      case 'continue-card':
        result = counter.continueCard({ card, pin: needs('pin', 'PIN (the 4-digit PIN the holder enters; - reads it from stdin)') });
        break;
      case 'death':
        result = counter.death({ card });
        break;
      case 'collect':
        result = counter.collect({
          card, newPin: needs('new', 'PIN (the 4-digit PIN the holder sets for ② and ④; - reads it from stdin)'), password: flags.password,
          who: (flags.who ?? 'holder') as Visitor, answered: flags.answered === 'true', handedBack: flags['hands-back']?.split(',').map((x) => x.trim()).filter(Boolean),
        });
        break;
      case 'reserve-pin-reset':
        result = counter.reservePinReset({ card, pin: needs('pin', 'auth|sign'), other: needs('other', 'VALUE (the other PIN; - reads it from stdin)') });
        break;
    }
    if (json) out.log(JSON.stringify(result, null, 2));
    else out.log([`Done: ${result.summary}.`, ...describe(result.status)].join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof CounterRefusal) {
      if (INPUT_REFUSALS.includes(e.reason)) throw new UsageError(e.message);
      if (json) out.log(JSON.stringify({ refused: e.reason, message: e.message }, null, 2));
      else out.error(`Refused (${e.reason}): ${e.message}.`);
      return 1;
    }
    if (e instanceof UnknownPersonaError) throw new UsageError(e.message);
    if (e instanceof CardStoreError || e instanceof CenterRecordsError || e instanceof CardLifeError) throw new StartError(e.message);
    throw e;
  } finally {
    desk.close();
  }
}

/** A card's status as lines for a person. */
export function describe(s: CounterStatus): string[] {
  const lines = [`${s.card} (${s.persona})${s.holder ? `: ${s.holder.name}, born ${s.holder.birthDate}, ${s.holder.cityName}` : ''}`];
  if (s.collection) lines.push(`  card: awaiting collection (交付待ち): kept at the office until ${s.collection.keptUntil}`);
  else lines.push(`  card: ${s.center.status}${s.center.reason ? ` (${s.center.reason})` : ''}${s.center.usableFrom ? `; usable at a kiosk from ${s.center.usableFrom}` : ''}`);
  for (const c of s.center.certificates) {
    lines.push(`  ${c.kind === 'auth' ? 'user-authentication' : 'signature'} certificate ${c.serial}: ${c.status}${c.reason ? ` (${c.reason})` : ''}, valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}`);
  }
  const pins = Object.entries(s.pins).map(([pin, p]) => `${pin} ${p.locked ? 'LOCKED' : `${p.triesLeft} tries`}`);
  lines.push(`  PINs: ${pins.join(', ') || 'none'}`);
  if (s.center.continueBy) lines.push(`  continuation (継続利用) pending: at the counter by ${s.center.continueBy}, or the card lapses`);
  if (s.renewal) lines.push(`  renewal: ${s.renewal.open ? 'open now' : `from ${s.renewal.opensOn}`}`);
  lines.push(`  counter: ${s.counter.open ? 'open now' : `closed now (${s.counter.closed})`}`);
  if (s.center.actions.length) lines.push(`  actions: ${s.center.actions.map((a) => `${a.at.slice(0, 16)} ${a.action} (${a.by})`).join('; ')}`);
  return lines;
}

/** The first `n` lines of stdin (each cut to 64 characters): a secret never goes on a command line. */
async function readStdinLines(n: number): Promise<string[]> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.split('\n').length > n || text.length > 64 * n + n) break;
  }
  return text.split('\n').slice(0, n).map((line) => line.slice(0, 64));
}
