import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorDetail, JsonHttpClient, TransportError } from './http-json';

describe('JsonHttpClient', () => {
  it('sends and reads JSON, keeping the connection alive', async () => {
    const sockets = new Set<unknown>();
    const server = http.createServer((request, response) => {
      sockets.add(request.socket);
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: text ? JSON.parse(text) : null })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new JsonHttpClient(1);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      expect(await client.post(url, { a: 1 })).toEqual({ status: 201, body: { got: { a: 1 } } });
      expect(await client.get(url)).toEqual({ status: 201, body: { got: null } });
      expect(sockets.size).toBe(1);
    } finally {
      client.close();
      server.close();
    }
  });

  it('sends a request again once when the server had closed the idle kept-alive socket', async () => {
    let requests = 0;
    const server = http.createServer((request, response) => {
      requests++;
      // The first answer keeps the socket open; the server then drops it without answering the next request on it.
      if (requests === 2) return request.socket.destroy();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new JsonHttpClient(1);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await client.get(url);
      expect(await client.post(url, {})).toEqual({ status: 200, body: { ok: true } });
      expect(requests).toBe(3);
    } finally {
      client.close();
      server.close();
    }
  });

  it('reports an unreachable service as a TransportError with its code', async () => {
    const client = new JsonHttpClient(1);
    await expect(client.get('http://127.0.0.1:1/health')).rejects.toEqual(expect.objectContaining({ name: 'TransportError', code: 'ECONNREFUSED', staleSocket: false }));
    await expect(client.get('http://127.0.0.1:1/health')).rejects.toBeInstanceOf(TransportError);
    client.close();
  });

  it("reads a service's error body", () => {
    expect(errorDetail({ code: 'person-not-found', reason: 'no person x at this agency' })).toBe(': person-not-found: no person x at this agency');
    expect(errorDetail({ reason: 'only a reason' })).toBe(': only a reason');
    expect(errorDetail(undefined)).toBe('');
  });
});
