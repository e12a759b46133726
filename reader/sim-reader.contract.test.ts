// The sim reader keeps the reader contract (the pcsc reader runs the same suite in tests/pcsc/).
import { SimReader } from './sim-reader.ts';
import { readerContract } from './testing/reader-contract.ts';
import { loadSampleData } from '../samples/sample-data.ts';

const data = loadSampleData();

readerContract('sim reader', () => {
  const reader = new SimReader();
  return {
    reader,
    insert: async (card) => reader.insert(card),
    remove: async () => void reader.remove(),
    pull: () => void reader.remove(),
    card: () => ({ card: data.makeCard('kawasaki-taro', Date.parse('2026-11-24T10:00:00+09:00')), pin: data.persona('kawasaki-taro').card.pin! }),
  };
});
