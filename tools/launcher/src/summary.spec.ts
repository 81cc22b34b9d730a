import { closingLines } from './summary';

const where = { portalUrl: 'http://localhost:4005', cardReaderUrl: 'http://127.0.0.1:4006', logsDir: '.data/logs' };

describe('the closing note', () => {
  it('says where the portal is, which cards and PIN sign in, where the reports and logs are, and that it runs', () => {
    const lines = closingLines({ signIn: { holders: ['Sato Hanako', 'Suzuki Ichiro'], pin: '1234' }, reports: { markdown: 'reports/scenarios.md', page: 'reports/index.html' } }, where);
    expect(lines.slice(1)).toEqual([
      'MynaPortal  http://localhost:4005/login, press "Sign in with my My Number Card"',
      'sign in     choose a card at the card reader (http://127.0.0.1:4006: 2 demo cards, Sato Hanako, Suzuki Ichiro); every PIN is 1234',
      'reports     reports/scenarios.md; what each party saw: reports/index.html (open in a browser)',
      'logs        .data/logs/<service>.log (npm run demo -- --verbose shows them here)',
      'running; press Ctrl-C to stop everything',
    ]);
  });

  it('says so when no scenario ran, and leaves out the cards when none were made', () => {
    const lines = closingLines({}, where);
    expect(lines.join('\n')).not.toContain('sign in');
    expect(lines).toContain('reports     none from this run; npm run scenarios plays them');
  });
});
