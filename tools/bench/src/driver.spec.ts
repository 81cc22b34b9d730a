import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_URLS } from './bench-args';
import { ExchangeDriver, listLimit, type DrivePlan } from './driver';
import { JsonHttpClient } from './http-json';

type ListMode = 'normal' | 'crowded' | 'missing';

/**
 * A stand-in requester: each inquiry settles `settleMs` after it was created, as
 * the scripted status. `crowded`: GET /exchange-records is full of other inquiries,
 * so ours can only be seen one by one; `missing`: it answers 404.
 */
function fakeRequester(script: (personId: string) => { status: string; settleMs: number }, listMode: ListMode = 'normal') {
  // Settles by the monotonic clock the driver itself measures with, so "settled"
  // here means settleMs have truly passed since the driver sent the inquiry.
  const inquiries = new Map<string, { createdAt: number; createdMono: number; status: string; settleMs: number }>();
  const counts = { list: 0, single: 0, maxInFlight: 0, listLimits: [] as number[] };
  const view = (id: string) => {
    const inquiry = inquiries.get(id)!;
    const settled = performance.now() - inquiry.createdMono >= inquiry.settleMs;
    return {
      id,
      status: settled ? inquiry.status : 'pending',
      reason: null,
      createdAt: new Date(inquiry.createdAt).toISOString(),
      answeredAt: settled ? new Date(inquiry.createdAt + inquiry.settleMs).toISOString() : null,
    };
  };
  const inFlight = () => [...inquiries.keys()].filter((id) => view(id).status === 'pending').length;
  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(request.url ?? '/', 'http://fake');
    if (request.method === 'POST' && url.pathname === '/inquiries') {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const { personId } = JSON.parse(text) as { personId: string };
        if (personId === 'refused') return send(503, { reason: 'hub-unavailable', message: 'the exchange hub queue is unavailable' });
        const id = randomUUID();
        inquiries.set(id, { createdAt: Date.now(), createdMono: performance.now(), ...script(personId) });
        counts.maxInFlight = Math.max(counts.maxInFlight, inFlight());
        send(202, { inquiryId: id, status: 'pending' });
      });
      return;
    }
    if (url.pathname === '/exchange-records') {
      counts.list++;
      if (listMode === 'missing') return send(404, { message: 'Cannot GET /exchange-records' });
      const limit = Number(url.searchParams.get('limit'));
      counts.listLimits.push(limit);
      const now = new Date().toISOString();
      const requested =
        listMode === 'crowded'
          ? Array.from({ length: limit }, () => ({ id: randomUUID(), status: 'answered', reason: null, createdAt: now, answeredAt: now }))
          : [...inquiries.keys()].reverse().slice(0, limit).map(view);
      return send(200, { agency: 'pension-agency', requested, provided: [] });
    }
    const match = /^\/inquiries\/(.+)$/.exec(url.pathname);
    if (!match || !inquiries.has(match[1])) return send(404, { message: 'no such inquiry' });
    counts.single++;
    send(200, { ...view(match[1]), result: null });
  });
  return {
    server,
    counts,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
  };
}

const basePlan = (url: string, personIds: string[], count: number, concurrency: number): DrivePlan => ({
  count,
  concurrency,
  requester: 'pension-agency',
  provider: 'tax-agency',
  rule: 'R-PEN-TAX-INCOME',
  item: 'annual-income',
  parameters: { fiscalYear: 2025 },
  personIds,
  deadlineMs: 2000,
  pollMs: 10,
  urls: { ...DEFAULT_URLS, 'pension-agency': url },
});

describe('ExchangeDriver', () => {
  const client = new JsonHttpClient(16, 5000);
  afterAll(() => client.close());

  async function withFake<T>(fake: ReturnType<typeof fakeRequester>, run: (url: string) => Promise<T>): Promise<T> {
    const url = await fake.listen();
    try {
      return await run(url);
    } finally {
      fake.server.close();
    }
  }

  it('keeps at most C inquiries in flight, follows them all with the list, and reads server latency from their timestamps', async () => {
    const fake = fakeRequester(() => ({ status: 'answered', settleMs: 30 }));
    const progress: number[] = [];
    const result = await withFake(fake, (url) => new ExchangeDriver(client, (settled) => progress.push(settled)).run(basePlan(url, ['a', 'b'], 24, 4)));

    expect(result.samples).toHaveLength(24);
    expect(result.samples.every((sample) => sample.outcome === 'answered' && sample.serverMs === 30 && sample.clientMs >= 30)).toBe(true);
    expect(fake.counts.maxInFlight).toBeLessThanOrEqual(4);
    expect(result.listPolls).toBe(fake.counts.list);
    expect(result.singlePolls).toBe(0);
    expect(progress.at(-1)).toBe(24);
  });

  it('lists as many inquiries as are in flight and as many again, not as many as the cap allows', async () => {
    // An open loop capped at 400 with about ten in flight: each poll asks for about 70 inquiries, not 850.
    const fake = fakeRequester(() => ({ status: 'answered', settleMs: 200 }));
    const result = await withFake(fake, (url) => new ExchangeDriver(client).run({ ...basePlan(url, ['a'], 20, 400), ratePerSecond: 50 }));

    expect(result.samples.map((sample) => sample.outcome)).toEqual(Array(20).fill('answered'));
    expect(fake.counts.listLimits.length).toBeGreaterThan(0);
    // Never more in flight than the run's 20 inquiries, however many the cap would allow.
    expect(Math.max(...fake.counts.listLimits)).toBeLessThanOrEqual(listLimit(20));
    expect(listLimit(20)).toBeLessThan(listLimit(400));
    expect(listLimit(0)).toBe(50);
    expect(listLimit(10_000)).toBe(1000);
  });

  it('in an open loop, starts inquiries at the rate whatever is in flight, up to C', async () => {
    // Each takes 200 ms; at 50/s a closed loop of one slot would start one per 200 ms, the open loop ten.
    const fake = fakeRequester(() => ({ status: 'answered', settleMs: 200 }));
    const result = await withFake(fake, (url) => new ExchangeDriver(client).run({ ...basePlan(url, ['a'], 10, 100), ratePerSecond: 50 }));

    expect(result.samples.map((sample) => sample.outcome)).toEqual(Array(10).fill('answered'));
    expect(fake.counts.maxInFlight).toBeGreaterThan(1);
    // The last started 9 / 50 s after the first, and settled 200 ms later.
    expect(result.wallMs).toBeGreaterThanOrEqual(180 + 200);
  });

  it('starts no inquiry once startForMs have passed, closed loop or open, and lets those in flight settle', async () => {
    // Each takes 100 ms: two slots for 250 ms start three rounds of two, not the 1,000 asked for.
    const fake = fakeRequester(() => ({ status: 'answered', settleMs: 100 }));
    const closed = await withFake(fake, (url) => new ExchangeDriver(client).run({ ...basePlan(url, ['a'], 1000, 2), startForMs: 250 }));
    expect(closed.samples.length).toBeGreaterThanOrEqual(2);
    expect(closed.samples.length).toBeLessThanOrEqual(8);
    expect(closed.samples.every((sample) => sample.outcome === 'answered')).toBe(true);

    const open = fakeRequester(() => ({ status: 'answered', settleMs: 100 }));
    const opened = await withFake(open, (url) => new ExchangeDriver(client).run({ ...basePlan(url, ['a'], 1000, 100), ratePerSecond: 40, startForMs: 250 }));
    // At 40/s, starts at 0, 25, … 225 ms: ten, give or take the timer's slack.
    expect(opened.samples.length).toBeGreaterThanOrEqual(5);
    expect(opened.samples.length).toBeLessThanOrEqual(12);
    expect(opened.samples.every((sample) => sample.outcome === 'answered')).toBe(true);
  });

  it('counts denials, refused starts and timeouts instead of hiding them', async () => {
    const fake = fakeRequester((personId) => (personId === 'slow' ? { status: 'answered', settleMs: 60_000 } : { status: 'denied', settleMs: 5 }));
    const result = await withFake(fake, (url) => new ExchangeDriver(client).run({ ...basePlan(url, ['slow', 'deny', 'refused'], 3, 3), deadlineMs: 300 }));

    expect(result.samples.map((sample) => sample.outcome).sort()).toEqual(['denied', 'start-failed', 'timeout']);
    expect(result.samples.find((sample) => sample.outcome === 'start-failed')?.reason).toContain('503: hub-unavailable');
  });

  it('polls an inquiry on its own once the list no longer reaches back to it', async () => {
    const fake = fakeRequester(() => ({ status: 'no-record', settleMs: 20 }), 'crowded');
    const result = await withFake(fake, (url) => new ExchangeDriver(client).run(basePlan(url, ['a'], 6, 2)));

    expect(result.samples.map((sample) => sample.outcome)).toEqual(Array(6).fill('no-record'));
    expect(result.singlePolls).toBeGreaterThanOrEqual(6);
  });

  it('falls back to polling each inquiry when the list cannot be read', async () => {
    const fake = fakeRequester(() => ({ status: 'answered', settleMs: 20 }), 'missing');
    const result = await withFake(fake, (url) => new ExchangeDriver(client).run(basePlan(url, ['a'], 4, 2)));

    expect(result.samples.every((sample) => sample.outcome === 'answered' && sample.serverMs === 20)).toBe(true);
    expect(result.failedPolls).toBeGreaterThan(0);
    expect(result.singlePolls).toBeGreaterThanOrEqual(4);
  });
});
