import { runTimingAttack, type ExchangeRow, type ExchangeTable } from './timing-attack';

const rule = 'R-PEN-TAX-INCOME';
const row = (handle: string, times: Record<string, number | null>, order: number): ExchangeRow => ({ handle, requester: 'pension-agency', provider: 'tax-agency', rule, times, order });

/** n exchanges one second apart; the provider writes each `delay` ms after the requester, in `providerOrder`. */
function scenario(n: number, providerTime: (i: number) => number, providerOrder: (i: number) => number) {
  const requester: ExchangeTable = { party: 'pension-agency', table: 'inquiry', rows: Array.from({ length: n }, (_, i) => row(`q${i}`, { created_at: i * 1000 }, i)) };
  const provider: ExchangeTable = { party: 'tax-agency', table: 'provided_exchange', rows: Array.from({ length: n }, (_, i) => row(`p${i}`, { provided_at: providerTime(i) }, providerOrder(i))) };
  const truth = Array.from({ length: n }, (_, i) => ({ handles: [`q${i}`, `p${i}`] }));
  return runTimingAttack([requester, provider], truth);
}

describe('the timing attack on two dumps', () => {
  it('re-links every exchange from precise times shifted by the learned delay, and from row order', () => {
    const result = scenario(50, (i) => i * 1000 + 28 + (i % 3), (i) => i);
    const byTime = result.joins.find((join) => join.left.column === 'created_at')!;
    expect(byTime).toMatchObject({ common: 50, correct: 50, rate: 1 });
    expect(byTime.delayMs).toBeGreaterThanOrEqual(28);
    expect(result.joins.find((join) => join.left.column === '(row order)')).toMatchObject({ correct: 50, rate: 1 });
    expect(result.byTablePair).toEqual([{ left: 'pension-agency inquiry', right: 'tax-agency provided_exchange', common: 50, bestRate: 1, best: 'row order' }]);
  });

  it('re-links about one per round when the hub shuffles rounds and the provider keeps the minute', () => {
    // Rounds of 30 exchanges, each shuffled (a seeded Fisher–Yates here), times to the minute.
    const round = 30;
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const permutations = Array.from({ length: 10 }, () => {
      const items = Array.from({ length: round }, (_, i) => i);
      for (let i = round - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    });
    const order = (i: number) => Math.floor(i / round) * round + permutations[Math.floor(i / round)][i % round];
    const result = scenario(300, (i) => Math.floor((i * 1000 + 31_000) / 60_000) * 60_000, order);
    for (const join of result.joins) expect(join.rate).toBeLessThanOrEqual(0.07);
  });

  it('counts nothing where the two sides share no exchange, and ignores rows of other rules', () => {
    const result = runTimingAttack(
      [
        { party: 'pension-agency', table: 'inquiry', rows: [row('q1', { created_at: 0 }, 0)] },
        { party: 'tax-agency', table: 'provided_exchange', rows: [{ ...row('p1', { provided_at: 10 }, 0), rule: 'R-HEA-TAX-INCOME', requester: 'health-agency' }] },
      ],
      [{ handles: ['q1', 'x1'] }],
    );
    expect(result.joins).toEqual([]);
  });
});
