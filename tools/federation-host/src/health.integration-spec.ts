import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { waitForHealthy } from './health';
import { DeadlineMissedError } from './launch-error';

describe('waitForHealthy', () => {
  let server: http.Server;
  let url: string;
  let status = 503;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    status = 503;
    requests = 0;
  });

  it('keeps asking until the service answers 200', async () => {
    const waiting = waitForHealthy(url, 'tax-agency', { deadline: Date.now() + 10_000 });
    while (requests < 2) await new Promise((resolve) => setImmediate(resolve));
    status = 200;
    await waiting;
    expect(requests).toBeGreaterThanOrEqual(3);
  });

  it('gives up at the deadline, naming the last answer', async () => {
    const failure = waitForHealthy(url, 'tax-agency', { deadline: Date.now() + 600 });
    await expect(failure).rejects.toThrow(DeadlineMissedError);
    await expect(failure).rejects.toThrow(`tax-agency did not become healthy in time: ${url} answered 503`);
  });

  it('says when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(waitForHealthy(`http://127.0.0.1:${port}/health`, 'hub', { deadline: Date.now() + 300 })).rejects.toThrow(
      /refused the connection/,
    );
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForHealthy(url, 'hub', { deadline: Date.now() + 10_000, signal: controller.signal });
    controller.abort(new Error('launcher stopping'));
    await expect(waiting).rejects.toThrow('launcher stopping');
  });
});
