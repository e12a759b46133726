import { VpcdBridge } from './reader/vpcd-bridge.ts';
import { PcscReader } from './reader/pcsc-reader.ts';
import { CommandApdu } from './reader/apdu.ts';
import { loadSampleData } from './samples/sample-data.ts';
const data = loadSampleData();
const select = new CommandApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: Buffer.from('D392F000260100000001', 'hex') });
const reader = await new PcscReader({ name: 'Virtual PCD 00 00' }).open();
for (const quickAck of [true, false, true]) {
  const bridge = new VpcdBridge({ slot: 0, quickAck });
  const inserted = new Promise<void>((r) => reader.on('inserted', r));
  await bridge.insert(data.makeCard('kawasaki-taro', Date.now()));
  await inserted;
  const s = reader.connect();
  await s.transmit(select);
  const t = performance.now();
  for (let i = 0; i < 20; i++) await s.transmit(select);
  console.log(bridge.ackMode, ((performance.now() - t) / 20).toFixed(2), 'ms');
  const removed = new Promise<void>((r) => reader.on('removed', r));
  bridge.remove();
  await removed;
}
reader.close();
process.exit(0);
