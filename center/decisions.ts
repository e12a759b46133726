// What a person may get from a municipality, with the reason for every "no". Pure functions over the registers
// and the municipality data: the center calls them on every issuance request, whatever the kiosk decided, and the
// table test (decisions.test.ts) pins them down. The machine's own rules (machine/rules) are reused where the kiosk
// decides the same thing on screen; what only the center can know (deceased, the members of a household or family
// register, the tax records) is decided here.
import { cityProblem, holderProblem } from '../machine/rules/eligibility.ts';
import { inMaintenance } from '../machine/rules/hours.ts';
import { copiesAllowed, hasTypeChoice, infoNotOffered, subtypeFits, taxYearsOffered, unavailability } from '../machine/rules/catalog.ts';
import type { Certificate, CertificateRequest, Municipality, RefusalReason, Scope, Unavailability } from '../machine/types.ts';
import type { IssueRefusal } from './issuance-center.ts';
import { familyRegisterOf, hasStatus, holderFacts, type Registry, type Resident } from './registry.ts';

/** Who cannot use the service at all. A deceased person's record is closed (除票): nobody is registered. */
export function personProblem(reg: Registry, r: Resident, at: string): RefusalReason | null {
  if (hasStatus(r, 'deceased')) return 'not-registered';
  return holderProblem(holderFacts(reg, r), at);
}

export type Entitlement = { ok: true } | { ok: false; reason: RefusalReason | Unavailability | 'maintenance' };

/** Whether this person may get this certificate from this city in this scope now, and if not, why. */
export function entitlement(reg: Registry, r: Resident, city: Municipality, certificate: Certificate, scope: Scope, at: string): Entitlement {
  const holder = holderFacts(reg, r);
  const no = personProblem(reg, r, at) ?? cityProblem(city, holder, scope) ?? (inMaintenance(city, at) ? 'maintenance' : null)
    ?? unavailability(certificate, city, holder, scope, at);
  return no ? { ok: false, reason: no } : { ok: true };
}

export interface RequestProblem {
  refusal: IssueRefusal;
  detail: string;
}

const problem = (refusal: IssueRefusal, detail: string): RequestProblem => ({ refusal, detail });

/**
 * Everything the center checks before it issues: the entitlement, then the request's own choices. Members may only
 * be chosen from the person's own household (住民票) or family register (戸籍, 附票); 個人番号 only where the city
 * prints it; foreign residents' fields only on a foreign resident's record; a tax year only when offered and on
 * record, and a tax certificate only of a kind the city issues.
 */
export function requestProblem(reg: Registry, r: Resident, city: Municipality, req: CertificateRequest, at: string): RequestProblem | null {
  const e = entitlement(reg, r, city, req.certificate, req.scope, at);
  if (!e.ok) {
    const refusal: IssueRefusal = e.reason === 'maintenance' ? 'maintenance'
      : ['under-15', 'adult-ward', 'moved-out', 'support-measure', 'not-registered'].includes(e.reason) ? 'holder'
        : ['city-not-participating', 'domicile-not-registered'].includes(e.reason) ? 'city' : 'unavailable';
    return problem(refusal, e.reason);
  }
  if (!copiesAllowed(req.copies, city)) return problem('copies', `${req.copies} copies (1–${city.maxCopies} allowed)`);
  const st = req.subtype;
  if (!st && hasTypeChoice(req.certificate)) return problem('subtype', `${req.certificate} needs a type`);
  if (st && !subtypeFits(req.certificate, st)) return problem('subtype', `${st.kind} does not fit ${req.certificate}`);
  if (st?.kind === 'juminhyo' && st.scope === 'members') {
    const household = new Set([...reg.residents.values()].filter((m) => m.household === r.household).map((m) => m.id));
    const stranger = st.members.find((id) => !household.has(id));
    if (stranger !== undefined) return problem('member-not-in-household', stranger);
    if (st.members.length === 0) return problem('subtype', 'no member chosen');
  }
  const chosen = st?.kind === 'koseki' ? st.person : st?.kind === 'fuhyo' ? st.person : null;
  if (chosen !== null) {
    if (!familyRegisterOf(reg, r)?.members.some((m) => m.id === chosen)) return problem('person-not-in-register', chosen);
  }
  if (st?.kind === 'kazei') {
    if (!subtypeFits(req.certificate, st, city)) return problem('subtype', `${city.name} does not issue the ${st.taxKind} tax certificate`);
    if (!taxYearsOffered(city, at).includes(st.year)) return problem('subtype', `tax year ${st.year} is not offered`);
    if (!r.tax?.[st.year]) return problem('subtype', `no tax record for ${st.year}`);
  }
  const o = req.options;
  if (o?.myNumber && !city.printsMyNumber) return problem('my-number-not-allowed', city.name);
  // The same rule as the kiosk's screen and guard (machine/rules/catalog.ts offeredInfo).
  const unoffered = o ? infoNotOffered(req.certificate, o, city, !!r.foreign) : null;
  if (unoffered) {
    const foreignField = unoffered === 'nationality' || unoffered === 'residenceStatus' || unoffered === 'residenceCardNumber';
    return problem('options', foreignField && !r.foreign ? 'foreign residents’ fields asked for a Japanese national' : `${unoffered} is not printed on this certificate for this person`);
  }
  return null;
}
