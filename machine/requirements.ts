// The requirements a walk can show met, with stable ids: each refusal, lock, out-of-service, print failure and
// cancel the spec names (spec/kiosk.md) and each reason center/EXPECTATIONS.md gives a certificate shown disabled.
// A requirement is met when a screen shows it; `requirementsShown` reads them off the view's facts. The lists are
// checked against the machine's own reason types, so that a reason added to the machine is a type error here until
// it is added (and so becomes a requirement walks report).
import type { CancelReason, OutOfServiceReason, PrintFailure, RefusalReason, Unavailability } from './types.ts';

type Every<U extends string, L extends readonly U[]> = [Exclude<U, L[number]>] extends [never] ? L : never;
const list = <U extends string>() => <const L extends readonly U[]>(l: Every<U, L>) => l;

const REFUSALS = list<RefusalReason>()([
  'unsupported-card', 'no-card', 'card-read-error', 'card-removed', 'certificate-expired', 'certificate-not-yet-valid', 'certificate-revoked',
  'card-suspended', 'card-replaced', 'no-user-certificate', 'registration-not-needed', 'no-reset-reservation', 'under-15', 'adult-ward',
  'moved-out', 'support-measure', 'not-registered', 'city-not-participating', 'domicile-not-registered', 'center-unreachable',
]);
const OUT_OF_SERVICE = list<OutOfServiceReason>()(['outside-hours', 'year-end', 'maintenance', 'out-of-order']);
const PRINT_FAILURES = list<PrintFailure>()(['paper-out', 'paper-jam', 'printer-offline', 'printer-error', 'center-unreachable', 'issuance-refused']);
const CANCELS = list<CancelReason>()(['cancelled', 'timeout', 'payment-timeout']);
const UNAVAILABLE = list<Unavailability>()(['not-offered', 'no-seal', 'no-tax-data', 'outside-hours', 'domicile-only', 'residence-only']);

/** Every requirement, by id: `refused:<reason>`, `pin-locked`, `out-of-service:<reason>`, `print-failed:<reason>`,
 *  `cancelled:<reason>`, `unavailable:<reason>` (a certificate shown disabled on certificate-select). */
export const REQUIREMENTS: readonly string[] = [
  ...REFUSALS.map((r) => `refused:${r}`), 'pin-locked', ...OUT_OF_SERVICE.map((r) => `out-of-service:${r}`),
  ...PRINT_FAILURES.map((r) => `print-failed:${r}`), ...CANCELS.map((r) => `cancelled:${r}`), ...UNAVAILABLE.map((r) => `unavailable:${r}`),
];

/** The requirements a screen shows met: its refusal or failure, and the reasons certificates are shown disabled. */
export function requirementsShown(v: { screen: string; reason: string | null; certificates?: ReadonlyArray<{ unavailable: string | null }> }): string[] {
  const out: string[] = [];
  if (v.screen === 'pin-locked') out.push('pin-locked');
  else if (v.reason && ['refused', 'out-of-service', 'print-failed', 'cancelled'].includes(v.screen)) out.push(`${v.screen}:${v.reason}`);
  if (v.screen === 'certificate-select') for (const c of v.certificates ?? []) if (c.unavailable) out.push(`unavailable:${c.unavailable}`);
  return out.filter((id) => REQUIREMENTS.includes(id));
}
