import { createServer } from 'node:net';
import { findFreePort } from './free-port';

describe('findFreePort', () => {
  it('hands out free ports, never the same one twice in a process, though the OS offers a freed port again now and then', async () => {
    // About one pair in 12,000 repeats here; among 300 ports there are 44,850 pairs.
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await findFreePort());
    expect(new Set(ports).size).toBe(ports.length);
    // And each is free: it can be listened on.
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[ports.length - 1], '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
