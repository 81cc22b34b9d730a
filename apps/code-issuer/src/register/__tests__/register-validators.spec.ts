import { dateOfBirthProblem } from '../dtos/register-validators';

describe('dateOfBirthProblem', () => {
  const today = new Date('2026-11-27T12:00:00Z');

  it.each(['1985-04-12', '2024-02-29', '1900-01-01', '2026-11-27'])('accepts %s', (value) => {
    expect(dateOfBirthProblem(value, today)).toBeUndefined();
  });

  it.each([
    ['2023-02-29', 'is not a calendar date'],
    ['1985-13-01', 'is not a calendar date'],
    ['1985-04-31', 'is not a calendar date'],
    ['1985-4-12', 'must be a date in YYYY-MM-DD form'],
    ['1985-04-12T00:00:00Z', 'must be a date in YYYY-MM-DD form'],
    [19850412, 'must be a date in YYYY-MM-DD form'],
    ['2026-11-28', 'must not be in the future'],
    ['1899-12-31', 'must not be before 1900-01-01'],
  ])('refuses %p: %s', (value, problem) => {
    expect(dateOfBirthProblem(value, today)).toBe(problem);
  });
});
