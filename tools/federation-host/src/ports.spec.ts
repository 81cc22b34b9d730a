import { createServer } from 'node:net';
import { findFreePort, isPortFree } from './ports';

describe('findFreePort', () => {
  it('hands out free ports, never the same one twice in a process, though the OS offers a freed port again now and then', async () => {
    // About one pair in 12,000 repeats on this project's machine; among 300 ports there are 44,850 pairs.
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await findFreePort());
    expect(new Set(ports).size).toBe(ports.length);
    // Asked all at once, as compose:check asks for its published ports, too.
    const together = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
    expect(new Set([...ports, ...together]).size).toBe(ports.length + together.length);
    await expect(isPortFree(together[0])).resolves.toBe(true);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(together[0], resolve));
    try {
      await expect(isPortFree(together[0])).resolves.toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
