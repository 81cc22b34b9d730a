import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockDataDir, wipeDataDir } from './data-dir';
import { processIsAlive } from '@myna/protocol';

const DEAD_PID = 999_999_999;

/** A detached, long-running process group with the given working directory. */
function startIdleGroup(cwd: string): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd, detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('spawn failed');
  return child.pid;
}

describe('data directory', () => {
  let root: string;
  let dataDir: string;
  const messages: string[] = [];
  const say = (message: string) => messages.push(message);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-data-'));
    dataDir = path.join(root, '.data');
    messages.length = 0;
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lets one launcher at a time use it', async () => {
    const lock = await lockDataDir(dataDir, root, say);
    fs.writeFileSync(path.join(dataDir, 'launcher.pid'), `${process.ppid}\n`); // a live process holds it
    await expect(lockDataDir(dataDir, root, say)).rejects.toThrow(`another demo launcher (pid ${process.ppid}) is using ${dataDir}`);
    fs.writeFileSync(path.join(dataDir, 'launcher.pid'), `${process.pid}\n`);
    lock.release();
    expect(fs.existsSync(path.join(dataDir, 'launcher.pid'))).toBe(false);
  });

  it('records its children in the lock file', async () => {
    const lock = await lockDataDir(dataDir, root, say);
    lock.recordChild(1234);
    lock.recordChild(5678);
    expect(fs.readFileSync(path.join(dataDir, 'launcher.pid'), 'utf8')).toBe(`${process.pid}\n1234\n5678\n`);
    lock.release();
  });

  it('takes over the lock of a launcher that was killed, stopping the children it left running here', async () => {
    const leftover = startIdleGroup(root);
    const stranger = startIdleGroup(os.tmpdir()); // a reused pid elsewhere must survive
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'launcher.pid'), `${DEAD_PID}\n${leftover}\n${stranger}\n${DEAD_PID}\n`);

      const lock = await lockDataDir(dataDir, root, say);

      expect(processIsAlive(leftover)).toBe(false);
      expect(processIsAlive(stranger)).toBe(true);
      expect(messages).toEqual(['stopped 1 process group left running by a launcher that was killed']);
      expect(fs.readFileSync(path.join(dataDir, 'launcher.pid'), 'utf8')).toBe(`${process.pid}\n`);
      lock.release();
    } finally {
      for (const pid of [leftover, stranger]) if (processIsAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('wipes everything but the lock', async () => {
    const lock = await lockDataDir(dataDir, root, say);
    fs.mkdirSync(path.join(dataDir, 'tax-agency', 'pgdata'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'tax-agency', 'pgdata', 'PG_VERSION'), '18');
    wipeDataDir(dataDir);
    expect(fs.readdirSync(dataDir)).toEqual(['launcher.pid']);
    lock.release();
  });

  it('refuses to wipe a directory that is not .data', () => {
    expect(() => wipeDataDir(root)).toThrow(/refusing to wipe/);
  });
});
