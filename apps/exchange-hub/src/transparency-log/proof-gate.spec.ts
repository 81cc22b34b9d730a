import { ProofGate } from './proof-gate';
import { LogBusyError } from './transparency-log.exception';

/** Work that ends when the test says so, and says when it started. */
function controlled() {
  let finish!: (value: string) => void;
  const done = new Promise<string>((resolve) => (finish = resolve));
  const started = { value: false };
  return {
    started,
    finish,
    work: () => {
      started.value = true;
      return done;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ProofGate', () => {
  it('runs as many at once as it may, lets as many more wait in order, and refuses the rest as log-busy with a Retry-After', async () => {
    const gate = new ProofGate(1, 2);
    const [a, b, c] = [controlled(), controlled(), controlled()];
    const answers = [a, b, c].map((job) => gate.run(job.work));
    await settle();
    expect([a, b, c].map((job) => job.started.value)).toEqual([true, false, false]);

    const refused = gate.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(LogBusyError);
    await expect(refused).rejects.toMatchObject({ code: 'log-busy', status: 503, retryAfterSeconds: 1 });

    a.finish('a');
    await settle();
    expect([b.started.value, c.started.value]).toEqual([true, false]);
    b.finish('b');
    await settle();
    expect(c.started.value).toBe(true);
    c.finish('c');
    await expect(Promise.all(answers)).resolves.toEqual(['a', 'b', 'c']);
  });

  it('frees its place when the work fails, so a failure never leaves the gate shut', async () => {
    const gate = new ProofGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('the database went away')))).rejects.toThrow('the database went away');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
    // Nothing may wait: while one runs, the next is refused at once.
    const running = controlled();
    const first = gate.run(running.work);
    await expect(gate.run(async () => 'second')).rejects.toBeInstanceOf(LogBusyError);
    running.finish('first');
    await expect(first).resolves.toBe('first');
  });
});
