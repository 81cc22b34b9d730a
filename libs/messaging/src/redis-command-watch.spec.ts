import { monitorLineArguments } from './redis-command-watch';

describe('monitorLineArguments', () => {
  it('reads the arguments of a MONITOR line, as ioredis reads the lines it recognises', () => {
    expect(monitorLineArguments('1796580874.713458 [0 127.0.0.1:55822] "client" "setname" "myna-portal"')).toEqual(['client', 'setname', 'myna-portal']);
    expect(monitorLineArguments('1796580874.713458 [3 unix:/run/redis.sock] "set" "k" "say \\"hi\\""')).toEqual(['set', 'k', 'say "hi"']);
    expect(monitorLineArguments('1796580874.713458 [0 lua] "evalsha" "abc" "1"')).toEqual(['evalsha', 'abc', '1']);
  });

  it('reads nothing from what is not a MONITOR line', () => {
    for (const text of ['OK', 'ERR unknown command', '', '1796580874 "set" "k"', 'Last reply: OK']) expect(monitorLineArguments(text)).toBeUndefined();
  });
});
