import { describeScan, onlyInsideUuids } from './databases';

const MY_NUMBER_LIKE = '(^|[^0-9])[0-9]{12}([^0-9]|$)';
const RESIDENCE_CODE_LIKE = '(^|[^0-9])[0-9]{11}([^0-9]|$)';

describe('a second look at what the identifier scan flags', () => {
  it('dismisses a digit run inside a UUID (a queue job id kept as text)', () => {
    expect(onlyInsideUuids('answer-0b1f2c3d-4e5f-4a6b-8c7d-a12345678901-replay-d0faf7', RESIDENCE_CODE_LIKE)).toBe(true);
    expect(onlyInsideUuids('0b1f2c3d-4e5f-4a6b-8c7d-123456789012', MY_NUMBER_LIKE)).toBe(true);
  });

  it('keeps a number that stands on its own, even next to a UUID', () => {
    expect(onlyInsideUuids('note: 123456789018', MY_NUMBER_LIKE)).toBe(false);
    expect(onlyInsideUuids('0b1f2c3d-4e5f-4a6b-8c7d-a12345678901 12345678901', RESIDENCE_CODE_LIKE)).toBe(false);
  });

  it('says what it found and what it dismissed', () => {
    expect(describeScan({ findings: [], dismissed: [] })).toBe('the identifier scan found nothing');
    expect(
      describeScan({
        findings: [{ table: 'person', column: 'my_number', kind: 'identifier-column', rows: 0 }, { table: 'person', column: 'my_number', kind: 'my-number-like', rows: 1 }],
        dismissed: [{ table: 'rejected_message', column: 'job_id', kind: 'residence-code-like', rows: 2 }],
      }),
    ).toBe('person.my_number: identifier-column; person.my_number: my-number-like (1 rows) (dismissed: 2 digit run(s) inside UUIDs in rejected_message.job_id)');
  });
});
