// A port to start a part of the federation on, for the launcher, the soak, the
// compose check and the test federations.
import * as net from 'node:net';

/** Ports this process has handed out: the OS may offer a port it just freed again. */
const handedOut = new Set<number>();

/**
 * A port the OS considers free on `host` right now, and never one this process
 * handed out before: two parts of one federation given the same port would
 * answer for each other, or one of them would fail to start. It can still be
 * taken by another process before it is bound.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await portTheOsOffers(host);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function portTheOsOffers(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
