import { BULK_BODY_LIMITS, LARGEST_LEGITIMATE_BODIES } from './body-limits';

describe('the bulk routes’ body limits', () => {
  it.each(Object.keys(BULK_BODY_LIMITS) as (keyof typeof BULK_BODY_LIMITS)[])('take the largest legitimate %s body, and refuse twice it', (route) => {
    expect(BULK_BODY_LIMITS[route]).toBeGreaterThan(LARGEST_LEGITIMATE_BODIES[route] * 1.25);
    expect(BULK_BODY_LIMITS[route]).toBeLessThan(LARGEST_LEGITIMATE_BODIES[route] * 2);
  });
});
