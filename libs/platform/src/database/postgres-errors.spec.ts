import { isUniqueViolation } from './postgres-errors';

describe('isUniqueViolation', () => {
  const violation = Object.assign(new Error('duplicate key value violates unique constraint "log_leaf_pkey"'), { code: '23505', constraint: 'log_leaf_pkey' });

  it('knows a unique violation by its SQLSTATE, and by its constraint when one is named', () => {
    expect(isUniqueViolation(violation)).toBe(true);
    expect(isUniqueViolation(violation, 'log_leaf_pkey')).toBe(true);
    expect(isUniqueViolation(violation, 'card_certificate_public_key_key')).toBe(false);
  });

  it('is false for any other failure', () => {
    expect(isUniqueViolation(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' }))).toBe(false);
    expect(isUniqueViolation(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
