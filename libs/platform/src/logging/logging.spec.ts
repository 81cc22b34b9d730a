import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseServiceConfig } from '../config/service-config';
import { accessLogMiddleware, loggerParams } from './logging';

const config = parseServiceConfig('tax-agency', { DATABASE_URL: 'postgres://tax@127.0.0.1:5432/tax' });

/** A server whose every request goes through the access log into `lines`, then answers 204. */
async function loggedServer(lines: Record<string, unknown>[]): Promise<Server> {
  const middleware = accessLogMiddleware(config, { write: (line: string) => lines.push(JSON.parse(line)) });
  const server = createServer((req, res) => {
    middleware(req, res);
    res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function send(server: Server, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('the access log', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('writes one line per request with its id, method, path and status, and nothing of its query or credentials', async () => {
    const lines: Record<string, unknown>[] = [];
    server = await loggedServer(lines);
    expect(await send(server, '/persons/5f0c0d1e?name=Yamada', { authorization: 'Bearer secret-token', cookie: 'session=abc' })).toBe(204);
    expect(await send(server, '/inquiries')).toBe(204);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ service: 'tax-agency', req: { method: 'GET', path: '/persons/5f0c0d1e' }, res: { statusCode: 204 } });
    expect(lines[1]).toMatchObject({ req: { method: 'GET', path: '/inquiries' } });
    expect(lines[0].req).toEqual({ id: expect.anything(), method: 'GET', path: '/persons/5f0c0d1e' });
    expect(lines[0].req).not.toEqual(lines[1].req);
    expect(JSON.stringify(lines)).not.toMatch(/Yamada|secret-token|session=abc/);
  });

  it('leaves health probes out', async () => {
    const lines: Record<string, unknown>[] = [];
    server = await loggedServer(lines);
    expect(await send(server, '/health')).toBe(204);
    expect(await send(server, '/docs-json')).toBe(204);
    expect(lines.map((line) => (line.req as { path: string }).path)).toEqual(['/docs-json']);
  });

  it('is not nestjs-pino middleware, which would run each request in an AsyncLocalStorage', () => {
    expect(loggerParams(config).forRoutes).toEqual([]);
  });
});
