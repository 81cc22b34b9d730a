import fc from 'fast-check';
import { Coalescer } from './coalescer';

/** A run that waits until the test lets it finish, recording what it was given. */
function gatedWork() {
  const runs: { items: readonly number[]; finish: (error?: Error) => void }[] = [];
  const work = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => runs.push({ items, finish: (error) => (error ? reject(error) : resolve([...items])) }));
  return { runs, work };
}

describe('Coalescer', () => {
  it('runs at once for the first caller and gives everyone who asked meanwhile one shared next run, in the order they asked', async () => {
    const { runs, work } = gatedWork();
    const coalescer = new Coalescer(work);
    const first = coalescer.run([1]);
    const second = coalescer.run([2, 3]);
    const third = coalescer.run([4]);
    expect(runs.map((run) => run.items)).toEqual([[1]]);
    runs[0].finish();
    expect(await first).toEqual([1]);
    await Promise.resolve();
    expect(runs.map((run) => run.items)).toEqual([[1], [2, 3, 4]]);
    runs[1].finish();
    expect(await second).toEqual([2, 3, 4]);
    expect(await third).toEqual([2, 3, 4]);
  });

  it('fails only the callers of the run that failed, and runs again for later callers', async () => {
    const { runs, work } = gatedWork();
    const coalescer = new Coalescer(work);
    const failing = coalescer.run([1]);
    runs[0].finish(new Error('the database went away'));
    await expect(failing).rejects.toThrow('the database went away');
    const later = coalescer.run([2]);
    expect(runs).toHaveLength(2);
    runs[1].finish();
    expect(await later).toEqual([2]);
  });

  it('hands every item to exactly one run, each caller’s items together and in order, however calls and runs interleave', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 20 }), fc.scheduler(), async (calls, scheduler) => {
        const seen: number[][] = [];
        const coalescer = new Coalescer(async (items: readonly number[]) => {
          seen.push([...items]);
          await scheduler.schedule(Promise.resolve(), 'run');
          return items.length;
        });
        const tagged = calls.map((items, call) => items.map((item) => call * 1000 + item));
        const asked: number[] = [];
        const ask = async (call: number) => {
          await scheduler.schedule(Promise.resolve(), `call ${call}`);
          asked.push(call);
          return coalescer.run(tagged[call]);
        };
        const results = await scheduler.waitFor(Promise.all(tagged.map((_, call) => ask(call))));
        // Every item once, in the order the callers asked, each caller's items in its own order.
        const inOrder = asked.map((call) => tagged[call]);
        expect(seen.flat()).toEqual(inOrder.flat());
        // Runs end only where a caller's items end: no caller's items are split between runs.
        const ends = (lists: number[][]) => lists.reduce<number[]>((found, list) => [...found, (found.at(-1) ?? 0) + list.length], []);
        const callEnds = new Set(ends(inOrder));
        const runEnds = ends(seen);
        for (const end of runEnds) expect(callEnds.has(end)).toBe(true);
        // Each caller gets the result of the run its items were in.
        let start = 0;
        for (const call of asked) {
          expect(results[call]).toBe(seen[runEnds.findIndex((end) => end > start)].length);
          start += tagged[call].length;
        }
      }),
    );
  });
});
