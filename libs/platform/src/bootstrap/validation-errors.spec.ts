import type { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './create-service-app';

describe('validation error messages', () => {
  it('flattens nested errors into one line each, with the path', () => {
    const errors: ValidationError[] = [
      { property: 'persons', constraints: { arrayMaxSize: 'persons must contain no more than 1000 elements' }, children: [] },
      {
        property: 'persons',
        children: [{ property: '1', children: [{ property: 'myNumber', constraints: { matches: 'myNumber must be 12 digits' }, children: [] }] }],
      },
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      'persons must contain no more than 1000 elements',
      'persons.1.myNumber must be 12 digits',
    ]);
  });
});
