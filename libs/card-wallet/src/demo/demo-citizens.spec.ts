import { isValidMyNumber } from '@myna/codes';
import { parseCardFace } from '@myna/card';
import { DEMO_CITIZENS, DEMO_PIN } from './demo-citizens';
import { demoPhoto } from './demo-photo';

describe('the demo citizens', () => {
  it('have valid, distinct My Numbers and card ids, and card faces a chip accepts', () => {
    expect(new Set(DEMO_CITIZENS.map((citizen) => citizen.myNumber)).size).toBe(DEMO_CITIZENS.length);
    expect(new Set(DEMO_CITIZENS.map((citizen) => citizen.cardId)).size).toBe(DEMO_CITIZENS.length);
    DEMO_CITIZENS.forEach((citizen, index) => {
      expect(isValidMyNumber(citizen.myNumber)).toBe(true);
      const { cardId: _cardId, records: _records, ...facts } = citizen;
      expect(parseCardFace({ ...facts, photo: demoPhoto(citizen.name, index) })).toMatchObject({ myNumber: citizen.myNumber, name: citizen.name });
    });
    expect(DEMO_PIN).toMatch(/^\d{4}$/);
  });

  it('get a photo with their initials and nothing else about them', () => {
    const svg = Buffer.from(demoPhoto('Sato Hanako', 0).split(',')[1], 'base64').toString('utf8');
    expect(svg).toContain('>SH</text>');
    expect(svg).not.toContain('Sato');
  });
});
