import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { backendClientPort, CpuUsage, parseContextSwitches, parseListeningInodes, parseMachineStat, parseProcStat, parseSocketPorts, processGroup } from './cpu-usage';

describe('reading /proc', () => {
  it("reads a thread's waits and preemptions from its status", () => {
    const status = 'Name:\tnode\nState:\tS (sleeping)\nThreads:\t11\nvoluntary_ctxt_switches:\t1841\nnonvoluntary_ctxt_switches:\t307\n';
    expect(parseContextSwitches(status)).toEqual({ voluntary: 1841, involuntary: 307 });
    expect(parseContextSwitches('Name:\tnode\nvoluntary_ctxt_switches:\t5\n')).toBeUndefined();
    expect(parseContextSwitches('')).toBeUndefined();
  });

  it('reads pid, ppid and utime + stime, even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 0 0';
    expect(parseProcStat(stat)).toEqual({ pid: 4242, ppid: 17, comm: 'node (x) y', ticks: 300 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads busy and total ticks of the machine, idle and iowait being idle', () => {
    expect(parseMachineStat('cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 1 2 3 4\n')).toEqual({ busy: 161, total: 981 });
  });

  it('finds the listening sockets on the given ports', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:0FA2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:0FA2 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 20 4 30 10 -1',
      '   2: 00000000:0FA3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(parseListeningInodes(tcp, new Set([4002]))).toEqual(new Map([['111', 4002]]));
    expect(parseSocketPorts(tcp)).toEqual(new Map([['111', 4002], ['222', 4002], ['333', 4003]]));
  });

  it("reads a PostgreSQL backend's client port from its title", () => {
    expect(backendClientPort('postgres: 15/main: postgres bench_tax_agency 127.0.0.1(46902) idle')).toBe(46902);
    expect(backendClientPort('postgres: 15/main: checkpointer ')).toBeUndefined();
  });

  it('groups processes: known services by name, embedded databases by service, PostgreSQL backends by database', () => {
    const known = new Map([[10, 'exchange-hub']]);
    expect(processGroup({ pid: 10, comm: 'node', cmdline: 'node dist/apps/exchange-hub/src/main.js' }, known)).toBe('exchange-hub');
    expect(
      processGroup({ pid: 11, comm: 'node', cmdline: '/usr/bin/node /w/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js --db /w/.data/tax-agency/pgdata --port 1' }, known),
    ).toBe('pglite (tax-agency)');
    expect(processGroup({ pid: 12, comm: 'postgres', cmdline: 'postgres: 15/main: postgres bench_tax_agency 127.0.0.1(4000) idle' }, known)).toBe('postgres backend (bench_tax_agency)');
    expect(processGroup({ pid: 13, comm: 'postgres', cmdline: 'postgres: 15/main: checkpointer ' }, known)).toBe('postgres (server processes)');
    expect(processGroup({ pid: 14, comm: 'redis-server', cmdline: 'redis-server 127.0.0.1:6379 ' }, known)).toBe('redis-server 127.0.0.1:6379');
    expect(processGroup({ pid: 15, comm: 'node', cmdline: 'node /tmp/x/dist/apps/tax-agency/src/main.js' }, known)).toBe('other tax-agency (not this federation)');
    expect(processGroup({ pid: 16, comm: 'tsc', cmdline: 'node tsc -p x' }, known)).toBe('other: tsc');
    expect(processGroup({ pid: 17, comm: 'node', cmdline: '/usr/bin/node -r tsconfig-paths/register /w/dist/tools/card-reader/src/main.js' }, known)).toBe('card reader');
    expect(processGroup({ pid: 18, comm: 'node', cmdline: '/usr/bin/node -r tsconfig-paths/register /w/dist/tools/scenarios/src/main.js --summary' }, known)).toBe('other: scenario runner');
  });
});

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('CpuUsage on a live process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill());

  it("charges a service found by its port with its CPU and its threads' waits over the window", async () => {
    // A stand-in service: listens on a port, and wakes every millisecond to do a little work. It writes
    // its port plainly: console.log would colour the number where FORCE_COLOR is set (as nx sets it).
    child = spawn(process.execPath, ['-e', `
      const server = require('node:net').createServer().listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
      setInterval(() => { let x = 0; for (let i = 0; i < 20000; i++) x += i; }, 1);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const usage = CpuUsage.start(new Map([['stand-in', Number(String(line).trim())]]));
    expect(usage).toBeDefined();
    const deadline = Date.now() + 15_000;
    let group;
    do {
      await new Promise((resolve) => setImmediate(resolve));
      group = usage!.stop()?.groups.find((candidate) => candidate.group === 'stand-in');
    } while ((!group || group.cpuMs <= 0 || group.switches.voluntary < 20) && Date.now() < deadline);
    expect(group).toMatchObject({ scope: 'federation' });
    expect(group!.cpuMs).toBeGreaterThan(0);
    expect(group!.switches.voluntary).toBeGreaterThanOrEqual(20);
    expect(group!.switches.involuntary).toBeGreaterThanOrEqual(0);
  });
});
