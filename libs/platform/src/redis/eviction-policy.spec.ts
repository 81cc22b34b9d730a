import { assertNoEviction, evictionPolicyOf } from './eviction-policy';

const info = (policy: string) => `# Memory\r\nused_memory:1\r\nmaxmemory_policy:${policy}\r\nallocator_frag_ratio:1.0\r\n`;

describe('the Redis eviction policy check', () => {
  it('reads maxmemory_policy from INFO memory', () => {
    expect(evictionPolicyOf(info('noeviction'))).toBe('noeviction');
    expect(evictionPolicyOf('# Memory\r\nused_memory:1\r\n')).toBeUndefined();
  });

  it('accepts noeviction and refuses any evicting policy in one line naming it and the fix', async () => {
    await expect(assertNoEviction({ info: async () => info('noeviction') } as never)).resolves.toBeUndefined();
    await expect(assertNoEviction({ info: async () => info('allkeys-lru') } as never)).rejects.toThrow(
      /^Redis maxmemory-policy is allkeys-lru, not noeviction: .*\(set maxmemory-policy noeviction\)$/,
    );
  });
});
