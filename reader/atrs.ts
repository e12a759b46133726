// The ATRs real My Number Cards answer with, by name (spec §5.1: pcsc-tools' smartcard_list.txt and OpenSC's
// installer): a card is one chip with several faces, contact and contactless, and readers and clients that match on
// an ATR (or on part of one) meet each. `kiosk card serve --atr NAME` puts a card in vpcd's reader with any of them.
import { atrChecksumOk, JUKI_CARD_ATR, MY_NUMBER_CARD_ATR } from './virtual-card.ts';

export interface NamedAtr {
  atr: Buffer;
  interface: 'contact' | 'contactless';
  /** Where it is listed, and since when. */
  note: string;
}

export const MY_NUMBER_CARD_ATRS: Readonly<Record<string, NamedAtr>> = {
  contact: { atr: MY_NUMBER_CARD_ATR, interface: 'contact', note: 'T=1, card capabilities C0 (extended Lc/Le); pcsc-tools 2017, OpenSC #3021' },
  'contact-short': { atr: Buffer.from('3BC5FF8131FB458073C6010000', 'hex'), interface: 'contact', note: 'T=1, historical bytes 80 73 C6 01 00; pcsc-tools 2017' },
  'contactless-2018': { atr: Buffer.from('3B888001000041E0B381A1003B', 'hex'), interface: 'contactless', note: 'PC/SC part-3 pseudo-ATR from the ATQB; pcsc-tools 2018' },
  'contactless-2020': { atr: Buffer.from('3B888001000005E0B381A1007F', 'hex'), interface: 'contactless', note: 'PC/SC part-3 pseudo-ATR; pcsc-tools 2020' },
  'contactless-2024': { atr: Buffer.from('3B888001004B51FFB381D1000F', 'hex'), interface: 'contactless', note: 'the 2024 chip OpenSC did not recognise; pcsc-tools 2024' },
  'contactless-reader-2016': { atr: Buffer.from('3BF59100FF918171FE4000420001B3A115', 'hex'), interface: 'contactless', note: 'a reader-specific ATR; pcsc-tools 2016' },
  'contactless-reader-2019': { atr: Buffer.from('3BF59100FF918171FE400042000100D1D6', 'hex'), interface: 'contactless', note: 'a reader-specific ATR; pcsc-tools 2019' },
  juki: { atr: JUKI_CARD_ATR, interface: 'contact', note: 'labelled JUKICARD, the only ATR in OpenSC\'s jpki_atrs' },
};

/** An ATR given by name (one of the above) or in hex (spaces and colons allowed), or null when it is neither a name nor
 *  a well-formed ATR (pcscd would take a broken one for a memory card). */
export function parseAtr(text: unknown): Buffer | null {
  if (typeof text !== 'string') return null;
  if (Object.hasOwn(MY_NUMBER_CARD_ATRS, text)) return MY_NUMBER_CARD_ATRS[text]!.atr;
  const hex = text.replace(/[\s:]/g, '');
  const atr = /^([0-9A-Fa-f]{2}){2,33}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
  return atr && atrChecksumOk(atr) ? atr : null;
}
