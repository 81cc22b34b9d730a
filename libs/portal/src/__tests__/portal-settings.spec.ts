import path from 'node:path';
import { ConfigurationError } from '@myna/platform';
import { parsePortalSettings } from '../portal-settings';

const service = (environment: 'development' | 'production' | 'test') => ({ service: { name: 'myna-portal' as const, host: '0.0.0.0', port: 4005, environment } });

describe('the portal settings', () => {
  it('mount the demo card reader by default, on .data/cards, except in production', () => {
    expect(parsePortalSettings(service('development'), {})).toEqual({
      relyingParty: 'myna-portal',
      secureCookies: false,
      cardReader: { enabled: true, storeDir: path.resolve('.data/cards') },
    });
    expect(parsePortalSettings(service('production'), {})).toMatchObject({ secureCookies: true, cardReader: { enabled: false } });
    expect(parsePortalSettings(service('production'), { CARD_READER: 'on', CARD_STORE_DIR: '/tmp/cards' }).cardReader).toEqual({ enabled: true, storeDir: '/tmp/cards' });
  });

  it('refuse a bad value, naming the variable', () => {
    expect(() => parsePortalSettings(service('test'), { CARD_READER: 'yes' })).toThrow(ConfigurationError);
    expect(() => parsePortalSettings(service('test'), { CARD_READER: 'yes' })).toThrow(/^CARD_READER /);
  });
});
