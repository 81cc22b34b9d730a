import path from 'node:path';
import { SCENARIOS } from '../scenarios';
import { DEFAULT_SCENARIO_TIMEOUT_SECONDS, parseScenarioArgs, scenarioNamesIn } from './scenario-args';

const known = ['decentralized-storage', 'hub-breach'];

describe('scenario runner flags', () => {
  it('runs every scenario by default, with the narrated trace', () => {
    expect(parseScenarioArgs([], known)).toEqual({
      ok: true,
      options: { names: [], list: false, summary: false, scenarioTimeoutSeconds: DEFAULT_SCENARIO_TIMEOUT_SECONDS, verbose: false, help: false },
    });
  });

  it('takes scenario names in the order given, once each, and the options in both spellings', () => {
    const parsed = parseScenarioArgs(['hub-breach', '--summary', 'decentralized-storage', 'hub-breach', '--report-dir', 'out', '--keys-dir=/keys', '--timeout=30'], known);
    expect(parsed).toMatchObject({
      ok: true,
      options: { names: ['hub-breach', 'decentralized-storage'], summary: true, reportDir: 'out', keysDir: '/keys', scenarioTimeoutSeconds: 30 },
    });
  });

  it.each([
    [['no-such-scenario'], "no scenario 'no-such-scenario' (known: decentralized-storage, hub-breach)"],
    [['--fresh'], "unknown option '--fresh'"],
    [['--timeout', '0'], "--timeout needs a positive number of seconds, got '0'"],
    [['--report-dir'], '--report-dir needs a value'],
    [['--keys-dir', '--summary'], '--keys-dir needs a value'],
  ])('refuses %p with a reason', (argv, error) => {
    expect(parseScenarioArgs(argv, known)).toEqual({ ok: false, error });
  });

  it('knows every scenario by its file, without loading it: one scenario per file, named after it', () => {
    expect(scenarioNamesIn(path.join(__dirname, '../scenarios'))).toEqual(SCENARIOS.map((scenario) => scenario.name).sort());
  });
});
