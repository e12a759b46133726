// A counter desk on a kiosk folder: the card store (DIR/cards) and the center's records (DIR/center/center.sqlite)
// that `kiosk start --var DIR` uses with its in-process center, opened without the kiosk's own files (its journal,
// its issuance log): `kiosk counter` works beside a running kiosk, as a ward office beside a konbini. A card on that
// kiosk's reader is refused (it is in the resident's hands there, not the clerk's); SQLite takes turns between them.
import { join, resolve } from 'node:path';
import { CardApplications } from '../../center/applications.ts';
import { CardLife, residentNow } from '../../center/card-life.ts';
import { SqliteCenterRecords } from '../../center/records/sqlite-records.ts';
import type { SampleData } from '../../samples/sample-data.ts';
import { CardStore } from '../card-store.ts';
import { WardCounter, type CounterSettings } from './counter.ts';

export interface Desk {
  counter: WardCounter;
  close(): void;
}

export function openDesk(o: { varDir: string; data: SampleData; clock: { now(): string; nowMs(): number }; desk?: string; settings?: Partial<CounterSettings> }): Desk {
  const dir = resolve(o.varDir);
  const records = new SqliteCenterRecords(join(dir, 'center', 'center.sqlite'));
  try {
    const cards = new CardStore({ dir: join(dir, 'cards'), data: o.data, clock: o.clock });
    const life = new CardLife({ records, clock: o.clock, trusted: [o.data.ca.certificate, o.data.signCa.certificate] });
    const center = {
      life, registry: o.data.registry, municipalities: o.data.municipalities,
      applications: new CardApplications({ records, registry: o.data.registry, clock: o.clock }),
      resident: (id: string) => residentNow(o.data.registry, records, id, o.clock.nowMs()),
    };
    return { counter: new WardCounter({ cards, center, data: o.data, clock: o.clock, desk: o.desk, settings: o.settings }), close: () => records.close() };
  } catch (e) {
    records.close();
    throw e;
  }
}
