// The center's answer to the next request, chosen by the operator or a QA script, as the government's own test-card
// substitute lets relying parties choose: a center that does not answer, a certificate revoked (lost, deceased) or
// expired, a person not registered, an issuance refused. A decorator around any center (the SimCenter in process, or
// a CenterClient): it answers normally except for the one next request of the kind the chosen failure concerns, and
// then answers normally again. It never invents a success: a failure chosen is a failure the real center can give.
import {
  CenterUnreachableError, IssuanceRefusedError, type AuthRequest, type AuthResult, type Issuance, type IssuanceCenter,
  type IssuanceRecord, type PinResetRequest, type RegistrationRequest, type IssueRequest,
  type CardApplicationRequest, type FormAnswer, type FormCheckRequest,
} from './issuance-center.ts';

import { CENTER_ANSWERS, type CenterAnswer } from '../machine/types.ts';

export { CENTER_ANSWERS, type CenterAnswer };

/** What each chosen refusal of authentication answers, as the center words it. */
const REFUSED: Partial<Record<CenterAnswer, Extract<AuthResult, { ok: false }>>> = {
  'revoked-lost': { ok: false, reason: 'certificate-revoked', cause: 'revoked-lost' },
  'revoked-deceased': { ok: false, reason: 'certificate-revoked', cause: 'revoked-deceased' },
  'certificate-expired': { ok: false, reason: 'certificate-expired', cause: 'certificate-expired' },
  'not-registered': { ok: false, reason: 'not-registered', cause: 'not-registered' },
};

export class ScriptedCenter implements IssuanceCenter {
  #next: CenterAnswer = 'normal';

  constructor(readonly inner: IssuanceCenter) {}

  get online(): boolean {
    return this.inner.online;
  }

  set online(value: boolean) {
    this.inner.online = value;
  }

  /** The answer waiting for the next request ('normal' when none is). */
  get next(): CenterAnswer {
    return this.#next;
  }

  /** Chooses the answer to the next request of its kind ('normal' takes a waiting one back). */
  answerNext(answer: CenterAnswer): void {
    this.#next = answer;
  }

  #take(...kinds: CenterAnswer[]): CenterAnswer | null {
    if (!kinds.includes(this.#next)) return null;
    const answer = this.#next;
    this.#next = 'normal';
    return answer;
  }

  async challenge(): Promise<Buffer> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    return this.inner.challenge();
  }

  async authenticate(args: AuthRequest): Promise<AuthResult> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    const refused = this.#take('revoked-lost', 'revoked-deceased', 'certificate-expired', 'not-registered');
    // The card's signature is still checked by the real center first: a refusal chosen is given to a genuine card.
    const result = await this.inner.authenticate(args);
    return refused && result.ok ? REFUSED[refused]! : result;
  }

  async issue(args: IssueRequest): Promise<Issuance> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    if (this.#take('issuance-refused')) throw new IssuanceRefusedError('unavailable', 'chosen by the operator: the center refuses this issuance');
    return this.inner.issue(args);
  }

  recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void> {
    return this.inner.recordPrinted(args);
  }

  verify(code: string): Promise<IssuanceRecord | null> {
    return this.inner.verify(code);
  }

  async checkForm(args: FormCheckRequest): Promise<FormAnswer> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    return this.inner.checkForm(args);
  }

  async applyForCard(args: CardApplicationRequest): ReturnType<IssuanceCenter['applyForCard']> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    return this.inner.applyForCard(args);
  }

  async resetPin(args: PinResetRequest): ReturnType<IssuanceCenter['resetPin']> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    return this.inner.resetPin(args);
  }

  async registerDomicile(args: RegistrationRequest): Promise<{ city: string; usableFrom: string }> {
    if (this.#take('unreachable')) throw new CenterUnreachableError('chosen by the operator: the next request goes unanswered');
    if (this.#take('issuance-refused')) throw new IssuanceRefusedError('unavailable', 'chosen by the operator: the center refuses this registration');
    return this.inner.registerDomicile(args);
  }
}
