// `kiosk print sample [--certificate TYPE] [--persona ID] [--out FILE]`: render one document for a sample persona as
// the kiosk would print it, built by the center's real builder from the sample registers. Exit 0 written, 2 bad input.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApplicationRefused, CardApplications } from '../../center/applications.ts';
import { CenterRecordsError } from '../../center/records/center-records.ts';
import { SqliteCenterRecords } from '../../center/records/sqlite-records.ts';
import { groupedId, renderApplicationFormPdf } from '../../printer/layout/application-form.ts';
import { RealClock } from '../clock.ts';
import { StartError, UsageError, type Check, type Flags } from './flags.ts';
import { UnknownPersonaError, loadSampleData } from '../../samples/sample-data.ts';
import { FontMissingError } from '../../printer/errors.ts';
import { renderCertificatePdf } from '../../printer/layout/certificate.ts';
import { countPages } from '../../printer/layout/pdf.ts';
import { renderReceiptPdf } from '../../printer/layout/receipt.ts';
import { renderRefundSlipPdf } from '../../printer/layout/refund-slip.ts';
import {
  SAMPLE_TYPES, SampleUnavailableError, sampleCertificates, sampleReceiptFor, sampleRefundSlipFor, type SampleType,
} from '../../samples/registry-samples.ts';

export const DEFAULT_PERSONA = 'kawasaki-taro';

export const sampleType: Check = (v) => ((SAMPLE_TYPES as readonly string[]).includes(v) ? null : `expected one of ${SAMPLE_TYPES.join(', ')}`);
export const samplePersona: Check = (v) => {
  try {
    loadSampleData().persona(v);
    return null;
  } catch (e) {
    if (e instanceof UnknownPersonaError) return `no such persona (kiosk personas lists them: ${loadSampleData().personas.map((p) => p.id).join(', ')})`;
    throw e;
  }
};

/** Render the sample document of a type for a persona. */
export async function renderSample(type: SampleType, personaId: string, issuedAt?: string): Promise<Buffer> {
  const opts = { issuedAt };
  if (type === 'receipt') return renderReceiptPdf(sampleReceiptFor(personaId, opts));
  if (type === 'refund-slip') return renderRefundSlipPdf(sampleRefundSlipFor(personaId, opts));
  return renderCertificatePdf(sampleCertificates(type, personaId, opts)[0]);
}

/** `kiosk print sample`, its flags parsed and checked (main.ts). */
export async function printSample(flags: Flags, out: Console): Promise<number> {
  const type = (flags.certificate ?? 'juminhyo') as SampleType;
  const who = flags.persona ?? DEFAULT_PERSONA;
  const file = resolve(flags.out ?? `sample-${type}.pdf`);

  const started = performance.now();
  let pdf: Buffer;
  try {
    pdf = await renderSample(type, who);
  } catch (e) {
    if (e instanceof SampleUnavailableError) throw new UsageError(`--persona ${who}: ${e.message}`);
    if (e instanceof FontMissingError) throw new StartError(e.message);
    throw e;
  }
  const ms = performance.now() - started;
  try {
    writeFileSync(file, pdf);
  } catch (e) {
    throw new UsageError(`cannot write ${file} (${(e as Error).message}); give --out a file in a folder that exists`);
  }
  out.log(`wrote ${file} (${countPages(pdf)} pages, ${Math.round(pdf.length / 1024)} KB, ${Math.round(ms)} ms)`);
  return 0;
}

/**
 * `kiosk print application-form --persona ID [--var DIR] [--out FILE]`: J-LIS prints a new 交付申請書 for the persona
 * (recorded in DIR/center/center.sqlite: its 23-digit ID is bound to the name and address printed), as a PDF whose
 * QR code a booth's scanner reads. Exit 0 written, 1 refused (not a resident now), 2 bad input.
 */
export async function printApplicationForm(flags: Flags, out: Console): Promise<number> {
  const who = flags.persona;
  if (!who) throw new UsageError('name whose form: --persona ID (kiosk personas lists them)');
  const data = loadSampleData();
  const persona = data.persona(who);
  if (!persona.resident || persona.card.kind !== 'my-number-card') throw new UsageError(`--persona ${who} is nobody a municipality registers: no form is printed for them`);
  const file = resolve(flags.out ?? `application-form-${who}.pdf`);
  const clock = new RealClock(flags.clock && flags.clock !== 'real' ? flags.clock : undefined);
  let records: SqliteCenterRecords;
  try {
    records = new SqliteCenterRecords(join(resolve(flags.var ?? 'var'), 'center', 'center.sqlite'));
  } catch (e) {
    if (e instanceof CenterRecordsError) throw new StartError(e.message);
    throw e;
  }
  try {
    const jlis = new CardApplications({ records, registry: data.registry, clock });
    let pdf: Buffer;
    let id: string;
    try {
      const form = jlis.printForm(persona.resident);
      id = form.id;
      pdf = await renderApplicationFormPdf(jlis.formDocument(form, data.municipalities));
    } catch (e) {
      if (e instanceof ApplicationRefused) {
        out.error(`Refused (${e.reason}): ${e.message}.`);
        return 1;
      }
      if (e instanceof FontMissingError) throw new StartError(e.message);
      throw e;
    }
    try {
      writeFileSync(file, pdf);
    } catch (e) {
      throw new UsageError(`cannot write ${file} (${(e as Error).message}); give --out a file in a folder that exists`);
    }
    out.log(`wrote ${file}: the application form of ${who}, 申請書ID ${groupedId(id)} (${countPages(pdf)} pages, ${Math.round(pdf.length / 1024)} KB)`);
    return 0;
  } finally {
    records.close();
  }
}
