import { ConfigurationError } from '@myna/platform';
import { parsePortalSettings } from '../portal-settings';

const service = (environment: 'development' | 'production' | 'test') => ({ service: { name: 'myna-portal' as const, host: '127.0.0.1', port: 4005, environment } });

describe('the portal settings', () => {
  it('know a card reader only when told where it is, and use Secure cookies in production', () => {
    expect(parsePortalSettings(service('development'), {})).toEqual({
      relyingParty: 'myna-portal',
      secureCookies: false,
      cardReader: { url: undefined },
      exchangeHub: { url: 'http://127.0.0.1:4001' },
    });
    expect(parsePortalSettings(service('production'), { CARD_READER_URL: 'http://localhost:4006/', EXCHANGE_HUB_URL: 'http://hub:4001/' })).toEqual({
      relyingParty: 'myna-portal',
      secureCookies: true,
      cardReader: { url: 'http://localhost:4006' },
      exchangeHub: { url: 'http://hub:4001' },
    });
    expect(() => parsePortalSettings(service('development'), { EXCHANGE_HUB_URL: 'ftp://hub' })).toThrow('EXCHANGE_HUB_URL');
  });

  it('refuse a bad value, naming the variable', () => {
    expect(() => parsePortalSettings(service('test'), { CARD_READER_URL: 'file:///x' })).toThrow(ConfigurationError);
    expect(() => parsePortalSettings(service('test'), { CARD_READER_URL: 'file:///x' })).toThrow(/^CARD_READER_URL /);
  });

  it('know the demo’s cards and PIN only when the demo launcher names both, and never in production', () => {
    const demo = { DEMO_CARD_HOLDERS: 'Sato Hanako,Suzuki Ichiro', DEMO_CARD_PIN: '1234' };
    expect(parsePortalSettings(service('development'), demo).demoSignIn).toEqual({ holders: ['Sato Hanako', 'Suzuki Ichiro'], pin: '1234' });
    expect(parsePortalSettings(service('development'), {}).demoSignIn).toBeUndefined();
    expect(() => parsePortalSettings(service('production'), demo)).toThrow(/^DEMO_CARD_PIN must not be set in production/);
    expect(() => parsePortalSettings(service('test'), { DEMO_CARD_PIN: '1234' })).toThrow(/^DEMO_CARD_HOLDERS must be set with the other/);
    expect(() => parsePortalSettings(service('test'), { ...demo, DEMO_CARD_PIN: '12345' })).toThrow(/^DEMO_CARD_PIN must be 4 digits/);
    expect(() => parsePortalSettings(service('test'), { ...demo, DEMO_CARD_HOLDERS: 'a,,b' })).toThrow(/^DEMO_CARD_HOLDERS /);
  });
});
