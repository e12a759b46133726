// The search both leak suites make: each PIN in every form an output could carry it in, after masking the tokens that
// hold any four digits by chance (UUIDs, digests, verification codes, counters). Without the masking a suite fails on
// a SHA-256 in the issuance log that happens to contain "7319" (it did, about once in thirty runs).

/** Each PIN as ASCII digits, hex (plain and spaced, as an APDU log shows it), base64 and UTF-16 (LE and BE). */
export function pinForms(pin: string): Array<[string, Buffer]> {
  const ascii = Buffer.from(pin, 'ascii');
  const hex = ascii.toString('hex');
  return [
    ['digits', ascii], ['ascii hex', Buffer.from(hex)], ['ASCII HEX SPACED', Buffer.from(hex.replace(/(..)(?!$)/g, '$1 ').toUpperCase())],
    ['base64', Buffer.from(ascii.toString('base64').replace(/=+$/, ''))], ['utf-16le', Buffer.from(pin, 'utf16le')], ['utf-16be', Buffer.from(pin, 'utf16le').swap16()],
  ];
}

/** Masks tokens that are random or counted (and so hold any 4 digits by chance); what is left is searched. */
export function scrub(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/[0-9a-f]{40,}/gi, '<digest>')
    .replace(/\d{4}-\d{4}-\d{4}-\d{4}/g, '<code>')
    .replace(/"(seq|sequence|sheetsPrinted|paper|bytes|rev)":\d+/g, '"$1":<n>');
}

/**
 * Where an output holds one of the PINs: text is scrubbed first; binary output (a PDF) is searched as it is. Plain
 * digits count where they stand alone, not inside a longer number (a PDF's byte offsets, a timestamp).
 */
export function findPins(pins: readonly string[], where: string, output: string | Buffer, binary = false): string[] {
  const bytes = binary ? output as Buffer : Buffer.from(scrub(String(output)));
  const found: string[] = [];
  for (const pin of pins) {
    for (const [form, needle] of pinForms(pin)) {
      let at = bytes.indexOf(needle);
      while (at >= 0) {
        const isDigit = (i: number) => i >= 0 && i < bytes.length && bytes[i] >= 0x30 && bytes[i] <= 0x39;
        if (form !== 'digits' || (!isDigit(at - 1) && !isDigit(at + needle.length))) {
          found.push(`${where}: ${form} of a PIN at byte ${at}`);
          break;
        }
        at = bytes.indexOf(needle, at + 1);
      }
    }
  }
  return found;
}
