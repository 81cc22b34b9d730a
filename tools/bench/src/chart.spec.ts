import { cpuSeries, escapeXml, niceCeiling, sweepChart, type ChartLevel } from './chart';

const level = (concurrency: number, throughputPerSecond: number, p99Ms: number | undefined, cpu: Record<string, number>): ChartLevel => ({
  concurrency,
  throughputPerSecond,
  p99Ms,
  cpuMsPerExchange: cpu,
});

describe('niceCeiling', () => {
  it.each([
    [0, 1],
    [-3, 1],
    [Number.NaN, 1],
    [0.7, 0.8],
    [1, 1],
    [1.2, 1.5],
    [2.2, 2.5],
    [44.9, 50],
    [57.8, 60],
    [28.2, 30],
    [91, 100],
    [1593, 2000],
    [250, 250],
  ])('%p → %p', (value, expected) => expect(niceCeiling(value)).toBeCloseTo(expected, 9));
});

describe('escapeXml', () => {
  it('escapes the five XML characters', () => expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;'));
});

describe('cpuSeries', () => {
  it('orders processes by their CPU over all levels, a missing one counting 0', () => {
    const series = cpuSeries([level(1, 5, 40, { hub: 5, tax: 3 }), level(10, 50, 90, { hub: 4, tax: 1, redis: 1 })]);
    expect(series.names).toEqual(['hub', 'tax', 'redis']);
    expect(series.values).toEqual([
      [5, 3, 0],
      [4, 1, 1],
    ]);
  });

  it('sums the processes beyond the ninth into one series', () => {
    const cpu = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`p${index}`, 12 - index]));
    const series = cpuSeries([level(1, 1, 1, cpu)]);
    expect(series.names).toHaveLength(9);
    expect(series.names[8]).toBe('4 more');
    expect(series.values[0][8]).toBe(4 + 3 + 2 + 1);
    expect(series.values[0].reduce((sum, ms) => sum + ms, 0)).toBe(Object.values(cpu).reduce((sum, ms) => sum + ms, 0));
  });
});

describe('sweepChart', () => {
  const svg = sweepChart({
    title: 'pension-agency asks <tax-agency>',
    notes: ['2 cores & a label'],
    levels: [level(1, 7.7, 234, { 'exchange-hub': 6.5, 'pension-agency': 8.4 }), level(10, 57.8, 281, { 'exchange-hub': 4.6 }), level(50, 44.9, undefined, {})],
  });

  it('is one SVG document with the title and notes escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('pension-agency asks &lt;tax-agency&gt;');
    expect(svg).toContain('2 cores &amp; a label');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws a throughput point per level and a p99 point per level that has one', () => {
    const lines = svg.match(/<polyline [^>]*points="([^"]*)"/g) ?? [];
    expect(lines).toHaveLength(2);
    const points = lines.map((line) => (/points="([^"]*)"/.exec(line)?.[1] ?? '').split(' ').length);
    expect(points).toEqual([3, 2]);
    for (const concurrency of ['1', '10', '50']) expect(svg).toContain(`>${concurrency}</text>`);
  });

  it('stacks one bar segment per process with CPU, labelled in the legend and in its tooltip', () => {
    expect(svg.match(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="[^"]*"><title>/g)).toHaveLength(3);
    expect(svg).toContain('<title>pension-agency: 8.4 ms</title>');
    expect(svg).toContain('>exchange-hub</text>');
    // Each bar is topped by its total.
    expect(svg).toContain('>14.9</text>');
  });
});
