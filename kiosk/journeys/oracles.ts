// The walks' oracles: what must hold after every step of any journey, whatever the steps were. A scripted journey
// says what it expects; a random walk cannot, so these are checked instead, each from a party's own record and
// never from the machine's word alone:
//   money       the cash box's own counters against the journal's accounts (what it took, gave back and holds);
//   person      the person the screen names and every certificate printed are the card's own person;
//   no-pin      no PIN typed in the journey appears in the screen's view, the runtime's log, the journal or the
//               machine's persisted snapshot;
//   screen      every screen the kiosk shows is one the touch UI can draw, with a title in every language.
import { resident } from '../../center/registry.ts';
import { SCREENS } from '../../machine/types.ts';
import { screenTitleKey } from '../ui/flow.ts';
import { catalog as ja } from '../ui/i18n/ja.ts';
import type { IssuedCertificate } from '../../printer/document.ts';
import type { SimTerminal } from '../terminal.ts';
import type { Step } from './format.ts';
import { documentText, StepFailure, tally } from './run.ts';

export const ORACLES = ['money', 'person', 'no-pin', 'screen'] as const;
export type Oracle = (typeof ORACLES)[number];

/** An oracle that does not hold: the walk fails on this step, naming it. */
export class OracleFailure extends StepFailure {
  constructor(readonly oracle: Oracle, detail: string) {
    super(`oracle ${oracle}: ${detail}`);
  }
}

const squash = (s: string) => s.replace(/\s+/g, '');
/** Session ids and operation keys (UUIDs), and verification codes (dddd-dddd-dddd-dddd). */
const RANDOM_IDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{4}-\d{4}-\d{4}-\d{4}\b/gi;

/** Watches one journey's terminal; `after(step)` checks every oracle once the step has settled. */
export class OracleWatch {
  readonly #terminal: SimTerminal;
  readonly #pins = new Set<string>();
  readonly #log: string[];
  readonly #certificates: readonly IssuedCertificate[];
  /** The person of the card last placed on the reader (a persona's resident), and their name. */
  #cardPerson: string | null = null;
  #certificatesChecked = 0;
  #logChecked = 0;

  /** `log`: the lines the runtime logged so far, `certificates` the copies printed (the runner's, read as they grow). */
  constructor(terminal: SimTerminal, log: readonly string[], certificates: readonly IssuedCertificate[]) {
    this.#terminal = terminal;
    this.#log = log as string[];
    this.#certificates = certificates;
  }

  after(step: Step): void {
    if (step.kind === 'pin') this.#pins.add(step.digits);
    if (step.kind === 'insert-card') this.#cardPerson = this.#nameOf(step.persona);
    this.#screen();
    this.#money();
    this.#person();
    this.#noPin();
  }

  #nameOf(persona: string): string | null {
    const { data } = this.#terminal;
    const id = data.persona(persona).resident;
    return id ? resident(data.registry, id).name : null;
  }

  #screen(): void {
    const v = this.#terminal.runtime.view();
    if (!(SCREENS as readonly string[]).includes(v.screen)) throw new OracleFailure('screen', `the kiosk is on ${v.screen}, which is no screen of the touch UI`);
    const key = screenTitleKey(v);
    if (!ja[key]) throw new OracleFailure('screen', `the ${v.screen} screen's title ${key} has no words`);
  }

  #money(): void {
    const box = this.#terminal.cashBox;
    const { accepted, returned, paidOut } = box.counters;
    const kept = accepted - returned - paidOut - box.escrowTotal;
    const t = tally(this.#terminal);
    if (kept !== t.charged + t.owed) {
      throw new OracleFailure('money', `the cash box took ${accepted} yen, gave back ${returned + paidOut} and holds ${box.escrowTotal} in escrow (${kept} kept), but the journal charged ${t.charged} and owes ${t.owed}`);
    }
  }

  #person(): void {
    const v = this.#terminal.runtime.view();
    const person = this.#cardPerson;
    if (v.holder && person && v.holder.name !== person) throw new OracleFailure('person', `the screen names ${v.holder.name}, the card is ${person}'s`);
    const certs = this.#certificates;
    for (const c of certs.slice(this.#certificatesChecked)) {
      if (person && !squash(documentText(c)).includes(squash(person))) {
        throw new OracleFailure('person', `certificate ${c.issuanceNumber} (${c.title}) does not name ${person}, whose card was read`);
      }
    }
    this.#certificatesChecked = certs.length;
  }

  #noPin(): void {
    if (!this.#pins.size) return;
    const r = this.#terminal.runtime;
    const outputs: Array<[string, string]> = [
      ['the screen\'s view', JSON.stringify(r.view())],
      ['the journal', JSON.stringify(r.journal.records)],
      ['the persisted snapshot', JSON.stringify(r.actor.getPersistedSnapshot())],
      ['the log', this.#log.slice(this.#logChecked).join('\n')],
    ];
    this.#logChecked = this.#log.length;
    // Random ids are masked first: a UUID's group or a verification code's block of four digits is the same as a
    // 4-digit PIN once in 10,000 (a 200,000-step walk met one).
    for (const o of outputs) o[1] = o[1].replace(RANDOM_IDS, '#');
    for (const pin of this.#pins) {
      // A PIN as a token of its own (not a part of a longer number, a time or an issuance number).
      const alone = new RegExp(`(?<![0-9A-Za-z])${pin.replace(/[^0-9A-Za-z]/g, '')}(?![0-9A-Za-z])`);
      for (const [where, text] of outputs) if (alone.test(text)) throw new OracleFailure('no-pin', `a PIN typed in this journey is in ${where}`);
    }
  }
}

/** The oracles as a journey run's `checks` (RunOptions): `kiosk journey run --oracles`, and every walk. */
export function oracleChecks(watched: { terminal: SimTerminal; log: readonly string[]; certificates: readonly IssuedCertificate[] }): (step: Step) => void {
  const watch = new OracleWatch(watched.terminal, watched.log, watched.certificates);
  return (step) => watch.after(step);
}
