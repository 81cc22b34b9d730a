import { packRequests } from './request-packer';

describe('packRequests', () => {
  const items = Array.from({ length: 25 }, (_, i) => ({ i, padding: 'x'.repeat(90) }));

  it('keeps every item, in order, in valid JSON bodies', () => {
    const requests = packRequests('persons', items, 10, 1_000_000);
    expect(requests.map((request) => [request.first, request.count])).toEqual([[0, 10], [10, 10], [20, 5]]);
    expect(requests.flatMap((request) => (JSON.parse(request.body) as { persons: unknown[] }).persons)).toEqual(items);
  });

  it('stays under the byte limit', () => {
    const requests = packRequests('citizens', items, 1000, 1000);
    expect(requests.length).toBeGreaterThan(2);
    for (const request of requests) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(1000);
    expect(requests.reduce((sum, request) => sum + request.count, 0)).toBe(items.length);
  });

  it('sends an item bigger than the limit on its own, for the service to refuse', () => {
    const requests = packRequests('persons', [{ a: 1 }, { big: 'y'.repeat(500) }, { b: 2 }], 10, 100);
    expect(requests.map((request) => request.count)).toEqual([1, 1, 1]);
  });

  it('makes no request for no items', () => {
    expect(packRequests('persons', [], 10, 1000)).toEqual([]);
  });
});
