// The vpcd bridge acknowledges vpcd's segments at once: the tcp-quickack addon is built by `npm ci` on this machine
// (a fresh clone included), and sets TCP_QUICKACK on a real loopback socket; on what is not a TCP socket it says no.
import { openSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { VPCD_ACK_MODE, VpcdBridge } from './vpcd-bridge.ts';

const { setQuickAck } = createRequire(import.meta.url)('tcp-quickack') as { setQuickAck: ((fd: number) => boolean) | null };

describe('the vpcd bridge’s quick acknowledgement', () => {
  it('is built, and the bridge uses it unless told not to', () => {
    expect(setQuickAck).toBeTypeOf('function');
    expect(VPCD_ACK_MODE).toBe('quick-ack');
    expect(new VpcdBridge().ackMode).toBe('quick-ack');
    expect(new VpcdBridge({ quickAck: false }).ackMode).toBe('delayed');
  });

  it('sets TCP_QUICKACK on a connected loopback socket, and refuses a file or a closed descriptor', async () => {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const socket: Socket = await new Promise((ok) => {
      const s = connect({ host: '127.0.0.1', port }, () => ok(s));
    });
    try {
      const fd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
      expect(fd).toBeGreaterThan(2);
      expect(setQuickAck!(fd)).toBe(true);
      const file = openSync('/dev/null', 'r');
      expect(setQuickAck!(file)).toBe(false);
      closeSync(file);
      expect(setQuickAck!(-1)).toBe(false);
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
