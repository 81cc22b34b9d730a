import { ChildExitedError, groupAlive, ManagedProcess, ProcessSpec, Supervisor, Tier } from './process-supervisor';
import { processIsAlive } from '@myna/protocol';

function nodeChild(name: string, script: string, tier: Tier = 'service'): ProcessSpec {
  return { name, tier, command: process.execPath, args: ['-e', script], cwd: process.cwd(), env: process.env };
}

function pidOf(child: ManagedProcess): number {
  if (child.pid === undefined) throw new Error(`${child.name} has no pid`);
  return child.pid;
}

const never = new AbortController().signal;

describe('Supervisor', () => {
  let supervisor: Supervisor;

  beforeEach(() => {
    supervisor = new Supervisor();
  });

  afterEach(async () => {
    await supervisor.stopAll();
  });

  it('stops a child together with the grandchildren it spawned', async () => {
    const parent = supervisor.spawn(
      nodeChild(
        'parent',
        `const { spawn } = require('node:child_process');
         const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         console.log('grandchild ' + grandchild.pid);
         setInterval(() => {}, 1000);`,
      ),
    );
    const line = await parent.waitForLine((text) => text.startsWith('grandchild '), never);
    const grandchildPid = Number(line.split(' ')[1]);
    expect(processIsAlive(grandchildPid)).toBe(true);

    await parent.stop();

    expect(processIsAlive(pidOf(parent))).toBe(false);
    expect(processIsAlive(grandchildPid)).toBe(false);
    expect(groupAlive(pidOf(parent))).toBe(false);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = supervisor.spawn(
      nodeChild(
        'stubborn',
        `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000);`,
      ),
    );
    await stubborn.waitForLine((text) => text === 'up', never);

    await stubborn.stop(300);

    expect(stubborn.describeExit()).toBe('was killed by SIGKILL');
    expect(stubborn.tail()).toEqual(['up', 'ignoring SIGTERM']);
    expect(processIsAlive(pidOf(stubborn))).toBe(false);
  });

  it('stops services first, then databases, then Redis', async () => {
    const stopped: string[] = [];
    const children = (['redis', 'database', 'service'] as const).map((tier) => {
      const child = supervisor.spawn(nodeChild(tier, `console.log('up'); setInterval(() => {}, 1000);`, tier));
      void child.exited.then(() => stopped.push(tier));
      return child;
    });
    await Promise.all(children.map((child) => child.waitForLine((text) => text === 'up', never)));

    await supervisor.stopAll();

    expect(stopped).toEqual(['service', 'database', 'redis']);
    expect(supervisor.livePids()).toEqual([]);
    expect(() => supervisor.spawn(nodeChild('late', ''))).toThrow(/shutting down/);
  });

  it('reports a ready child that dies, with its last output', async () => {
    const died = new Promise<ManagedProcess>((resolve) => supervisor.onUnexpectedExit(resolve));
    const fragile = supervisor.spawn(
      nodeChild(
        'fragile',
        `console.log('up'); process.stdin; setTimeout(() => { console.error('fatal: lost my database'); process.exit(4); }, 50);`,
      ),
    );
    await fragile.waitForLine((text) => text === 'up', never);
    fragile.markReady();

    const child = await died;

    expect(child).toBe(fragile);
    const error = new ChildExitedError(child);
    expect(error.message).toBe('fragile exited with code 4');
    expect(error.tail).toEqual({ source: 'fragile', lines: ['up', 'fatal: lost my database'] });
  });

  it('leaves the exit of a child that is not ready yet to whoever waits for it', async () => {
    let reported = false;
    supervisor.onUnexpectedExit(() => (reported = true));
    const early = supervisor.spawn(nodeChild('early', `console.error('bad config: PORT'); process.exit(2);`));

    await expect(early.waitForLine((text) => text === 'never', never)).rejects.toThrow('early exited with code 2');
    expect(early.tail()).toEqual(['bad config: PORT']);
    expect(reported).toBe(false);
  });

  it('explains a command that cannot be started', async () => {
    const missing = supervisor.spawn({
      name: 'missing',
      tier: 'redis',
      command: '/nonexistent/redis-server',
      args: [],
      cwd: process.cwd(),
      env: process.env,
    });
    await missing.exited;
    expect(missing.describeExit()).toMatch(/^could not be started \(spawn \/nonexistent\/redis-server ENOENT\)$/);
  });

  it('drops noise lines from the output and the tail', async () => {
    const chatty = supervisor.spawn({
      ...nodeChild('chatty', `console.log('Client connected from 127.0.0.1:1'); console.log('real');`),
      isNoise: (text) => text.startsWith('Client connected'),
    });
    const seen: string[] = [];
    chatty.onLine(({ text }) => seen.push(text));
    await chatty.exited;
    expect(seen).toEqual(['real']);
    expect(chatty.tail()).toEqual(['real']);
  });
});
