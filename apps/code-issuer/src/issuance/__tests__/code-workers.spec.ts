import { generateProcessingSerial, issueAgencyCode, parseIssuerBundle } from '@myna/codes';
import { AGENCIES, loadServiceKeyRing, type ServiceKeyRing } from '@myna/protocol';
import { testKeysDir } from '@myna/testing';
import { CodeWorkerPool, defaultCodeWorkers, MAX_CODE_WORKERS, parseCodeWorkerCount, SERIALS_PER_TASK } from '../code-workers';

describe('the code threads', () => {
  let issuer: ServiceKeyRing;
  const pools: CodeWorkerPool[] = [];
  const poolOf = async (size: number, basePointsKept?: number) => {
    const pool = new CodeWorkerPool(issuer.codesBundle, size, undefined, basePointsKept);
    pools.push(pool);
    await pool.ready();
    return pool;
  };

  beforeAll(async () => {
    issuer = await loadServiceKeyRing(testKeysDir('code-issuer'), 'code-issuer');
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
  });

  const expected = (party: string, serials: ReturnType<typeof generateProcessingSerial>[]) =>
    serials.map((serial) => issueAgencyCode(parseIssuerBundle(issuer.codesBundle), party, serial).toText());

  it.each([0, 1, 3])('with %i thread(s), give each party the codes the issuer bundle computes, in the order asked', async (size) => {
    const pool = await poolOf(size);
    // More serials than one task holds, so that a request is spread over the threads.
    const serials = Array.from({ length: SERIALS_PER_TASK * 2 + 7 }, () => generateProcessingSerial());
    const answers = await Promise.all(AGENCIES.map((agency) => pool.issue(agency, serials)));
    AGENCIES.forEach((agency, index) => expect(answers[index]).toEqual(expected(agency, serials)));
    expect(new Set(answers.flat()).size).toBe(serials.length * AGENCIES.length);
  });

  it.each([0, 2])("with %i thread(s), hash a person's serial once for all parties, while it keeps the person's base point", async (size) => {
    const pool = await poolOf(size);
    const serials = Array.from({ length: SERIALS_PER_TASK + 3 }, () => generateProcessingSerial());
    await expect(pool.issue('tax-agency', serials)).resolves.toEqual(expected('tax-agency', serials));
    expect(pool.basePointStats()).toEqual({ kept: serials.length, reused: 0 });
    // Another party, for some of the same people and someone new.
    const next = [...serials.slice(10, 20), generateProcessingSerial()];
    await expect(pool.issue('pension-agency', next)).resolves.toEqual(expected('pension-agency', next));
    expect(pool.basePointStats()).toEqual({ kept: serials.length + 1, reused: 10 });
  });

  it('keeps no more base points than its limit, the newest, and computes codes from serials beyond it', async () => {
    const pool = await poolOf(1, 5);
    const serials = Array.from({ length: 12 }, () => generateProcessingSerial());
    await pool.issue('tax-agency', serials);
    expect(pool.basePointStats()).toEqual({ kept: 5, reused: 0 });
    await expect(pool.issue('health-agency', serials)).resolves.toEqual(expected('health-agency', serials));
    // The last five were kept; the first seven were hashed again.
    expect(pool.basePointStats()).toEqual({ kept: 5, reused: 5 });
  });

  it('fails a task for a party the bundle does not know, and goes on serving the others', async () => {
    const pool = await poolOf(1);
    const serial = generateProcessingSerial();
    await expect(pool.issue('no-such-agency', [serial])).rejects.toThrow(/code computation failed: .*no-such-agency/);
    await expect(pool.issue('tax-agency', [serial])).resolves.toEqual(expected('tax-agency', [serial]));
  });

  it('replaces a thread that stops, failing only what it held', async () => {
    const pool = await poolOf(1);
    const serials = Array.from({ length: SERIALS_PER_TASK }, () => generateProcessingSerial());
    const held = pool.issue('health-agency', serials);
    // The thread dies mid-work, as it would if it crashed.
    await (pool as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads[0].worker.terminate();
    await expect(held).rejects.toThrow(/a code worker stopped/);
    await expect(pool.issue('health-agency', serials)).resolves.toEqual(expected('health-agency', serials));
  });

  it('does not start, and fails every task, when a thread cannot take up its keys', async () => {
    const pool = new CodeWorkerPool({ format: 'not an issuer bundle' }, 1);
    pools.push(pool);
    await expect(pool.ready()).rejects.toThrow(/could not start/);
    await expect(pool.issue('tax-agency', [generateProcessingSerial()])).rejects.toThrow(/could not start/);
  });

  it('refuses work once closed', async () => {
    const pool = await poolOf(1);
    await pool.close();
    await expect(pool.issue('tax-agency', [generateProcessingSerial()])).rejects.toThrow(/shut down/);
  });

  it('reads ISSUER_CODE_WORKERS, naming the variable when it is bad', () => {
    expect(parseCodeWorkerCount({ ISSUER_CODE_WORKERS: '0' })).toBe(0);
    expect(parseCodeWorkerCount({ ISSUER_CODE_WORKERS: '3' })).toBe(3);
    expect(parseCodeWorkerCount({})).toBe(defaultCodeWorkers());
    for (const bad of ['-1', 'two', '1.5', String(MAX_CODE_WORKERS + 1)]) {
      expect(() => parseCodeWorkerCount({ ISSUER_CODE_WORKERS: bad })).toThrow(/ISSUER_CODE_WORKERS/);
    }
    expect([1, 2, 4, 8, 64].map((cores) => defaultCodeWorkers(cores))).toEqual([0, 2, 4, 4, 4]);
  });
});
