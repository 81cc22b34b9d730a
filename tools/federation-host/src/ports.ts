// TCP port helpers. A free port found here can still be taken before the child
// binds it; the starters retry on EADDRINUSE for that reason.
import * as net from 'node:net';

export { findFreePort } from '@myna/protocol';

/**
 * Whether a service could listen on `port` the way Nest does (all interfaces).
 * Checked up front so that a leftover process on the port is not mistaken for
 * a healthy service.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
