import { LaunchError } from './launch-error';
import { SERVICES as SERVICE_NAMES, demoLayout } from '@myna/protocol';
import { DEMO_MIX_ROUND_SECONDS, mixRoundLine, planServices, serviceEnv, ServicePlan } from './service-plan';

const paths = demoLayout('/repo');

function planFor(env: NodeJS.ProcessEnv, name: string): ServicePlan {
  const plan = planServices(env, paths).find((candidate) => candidate.name === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    planServices(env, paths);
  } catch (error) {
    if (error instanceof LaunchError) return error.details;
    throw error;
  }
  throw new Error('expected a LaunchError');
}

describe('planServices', () => {
  it('lists the six parties on their default ports, each with an embedded database under .data', () => {
    const plans = planServices({}, paths);
    expect(plans.map(({ name, port }) => [name, port])).toEqual([
      ['code-issuer', 4000],
      ['exchange-hub', 4001],
      ['tax-agency', 4002],
      ['pension-agency', 4003],
      ['health-agency', 4004],
      ['myna-portal', 4005],
    ]);
    expect(plans.map((plan) => plan.name)).toEqual([...SERVICE_NAMES]);
    expect(planFor({}, 'tax-agency')).toMatchObject({
      role: 'municipal tax office',
      database: { kind: 'embedded', dataDir: '/repo/.data/tax-agency/pgdata' },
      keysDir: '/repo/.data/keys/tax-agency',
    });
  });

  it('takes a port from <SERVICE>_PORT', () => {
    expect(planFor({ TAX_AGENCY_PORT: '5002' }, 'tax-agency').port).toBe(5002);
    expect(planFor({ TAX_AGENCY_PORT: '5002' }, 'code-issuer').port).toBe(4000);
  });

  it('uses <SERVICE>_DATABASE_URL as an external database for that service only', () => {
    const env = { MYNA_PORTAL_DATABASE_URL: 'postgres://portal@db:5432/portal' };
    expect(planFor(env, 'myna-portal').database).toEqual({ kind: 'external', url: 'postgres://portal@db:5432/portal' });
    expect(planFor(env, 'code-issuer').database.kind).toBe('embedded');
  });

  it('treats an empty database URL as unset', () => {
    expect(planFor({ CODE_ISSUER_DATABASE_URL: '  ' }, 'code-issuer').database.kind).toBe('embedded');
  });

  it('reports every bad or clashing port at once', () => {
    expect(problemsOf({ TAX_AGENCY_PORT: 'http', PENSION_AGENCY_PORT: '70000', MYNA_PORTAL_PORT: '4000' })).toEqual([
      "TAX_AGENCY_PORT='http' is not a TCP port (1-65535)",
      "PENSION_AGENCY_PORT='70000' is not a TCP port (1-65535)",
      'port 4000 is given to code-issuer and myna-portal',
    ]);
  });
});

describe('serviceEnv', () => {
  const runtime = {
    databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5555/postgres',
    redisUrl: 'redis://127.0.0.1:6666',
    codeIssuerUrl: 'http://127.0.0.1:5000',
    cardReaderUrl: 'http://localhost:5006',
  };

  it('sets the variables of the apps contract', () => {
    const env = serviceEnv(planFor({}, 'health-agency'), runtime, paths, { PATH: '/usr/bin' });
    expect(env).toEqual({
      PATH: '/usr/bin',
      NODE_ENV: 'development',
      TS_NODE_PROJECT: '/repo/tsconfig.runtime.json',
      PORT: '4004',
      DATABASE_URL: runtime.databaseUrl,
      REDIS_URL: runtime.redisUrl,
      CODE_ISSUER_URL: 'http://127.0.0.1:5000',
      KEYS_DIR: '/repo/.data/keys/health-agency',
      CARD_READER_URL: 'http://localhost:5006',
      DATABASE_POOL_SIZE: '1',
      DATABASE_CONNECT_TIMEOUT_MS: '120000',
      DATABASE_NAMED_STATEMENTS: 'off',
    });
  });

  it('tells the portal, and it alone, that it runs as the demo: the demo cards’ holders and PIN', () => {
    expect(serviceEnv(planFor({}, 'myna-portal'), runtime, paths, {})).toMatchObject({ DEMO_CARD_HOLDERS: 'Sato Hanako,Suzuki Ichiro,Tanaka Yui', DEMO_CARD_PIN: '1234' });
    expect(serviceEnv(planFor({}, 'code-issuer'), runtime, paths, {}).DEMO_CARD_PIN).toBeUndefined();
  });

  it('tells the portal, and it alone, where this run’s hub is (for its log’s proofs)', () => {
    const withHub = { ...runtime, exchangeHubUrl: 'http://127.0.0.1:5001' };
    expect(serviceEnv(planFor({}, 'myna-portal'), withHub, paths, {}).EXCHANGE_HUB_URL).toBe('http://127.0.0.1:5001');
    expect(serviceEnv(planFor({}, 'tax-agency'), withHub, paths, {}).EXCHANGE_HUB_URL).toBeUndefined();
  });

  it('runs the hub, and it alone, with the demo’s short mix round unless HUB_MIX_ROUND_SECONDS is given', () => {
    expect(serviceEnv(planFor({}, 'exchange-hub'), runtime, paths, {}).HUB_MIX_ROUND_SECONDS).toBe(DEMO_MIX_ROUND_SECONDS);
    expect(serviceEnv(planFor({}, 'exchange-hub'), runtime, paths, { HUB_MIX_ROUND_SECONDS: '45' }).HUB_MIX_ROUND_SECONDS).toBe('45');
    expect(serviceEnv(planFor({}, 'tax-agency'), runtime, paths, {}).HUB_MIX_ROUND_SECONDS).toBeUndefined();
    expect(mixRoundLine({})).toContain(`rounds of ${DEMO_MIX_ROUND_SECONDS} s for the demo`);
    expect(mixRoundLine({ HUB_MIX_ROUND_SECONDS: '45' })).toBe('hub mix: rounds of 45 s (HUB_MIX_ROUND_SECONDS)');
  });

  it('leaves an external database its own pool size', () => {
    const env = serviceEnv(planFor({ TAX_AGENCY_DATABASE_URL: 'postgres://tax@db/tax' }, 'tax-agency'), runtime, paths, {});
    expect(env.DATABASE_POOL_SIZE).toBeUndefined();
    expect(env.DATABASE_NAMED_STATEMENTS).toBeUndefined();
  });

  it('overrides inherited contract variables', () => {
    const env = serviceEnv(planFor({}, 'tax-agency'), runtime, paths, {
      PORT: '1',
      NODE_ENV: 'production',
      REDIS_URL: 'redis://other',
      CODE_ISSUER_URL: 'http://elsewhere:4000',
    });
    expect(env).toMatchObject({ PORT: '4002', NODE_ENV: 'development', REDIS_URL: runtime.redisUrl, CODE_ISSUER_URL: runtime.codeIssuerUrl });
  });

  it("hides every party's database URL, its own included, except as DATABASE_URL", () => {
    const inherited = {
      TAX_AGENCY_DATABASE_URL: 'postgres://tax-secret@db/tax',
      PENSION_AGENCY_DATABASE_URL: 'postgres://pension-secret@db/pension',
    };
    const plan = planFor(inherited, 'tax-agency');
    const env = serviceEnv(plan, { ...runtime, databaseUrl: 'postgres://tax-secret@db/tax' }, paths, inherited);
    expect(env.DATABASE_URL).toBe('postgres://tax-secret@db/tax');
    expect(Object.keys(env).filter((key) => key.endsWith('_DATABASE_URL'))).toEqual([]);
    expect(Object.values(env)).not.toContain('postgres://pension-secret@db/pension');
  });
});
