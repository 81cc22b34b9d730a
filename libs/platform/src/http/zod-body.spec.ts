import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ZodBodyPipe, openApiSchemaOf } from './zod-body';

const person = z.strictObject({
  myNumber: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
  name: z.string().min(1).max(5),
  keep: z.boolean().optional(),
  gender: z.enum(['female', 'male']),
});
const batch = z.strictObject({ persons: z.array(person).min(1).max(2) });
const pipe = new ZodBodyPipe(batch);
const good = { myNumber: '123456789018', name: 'Sato', gender: 'female' };

function refusal(value: unknown): unknown {
  try {
    pipe.transform(value);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse();
  }
  throw new Error('the pipe accepted the body');
}

describe('ZodBodyPipe', () => {
  it('returns the parsed body: a new value holding only what the schema names', () => {
    const body = { persons: [{ ...good }] };
    const parsed = pipe.transform(body);
    expect(parsed).toEqual(body);
    expect(parsed.persons[0]).not.toBe(body.persons[0]);
  });

  it.each([
    [{ persons: [{ ...good, myNumber: '12345' }] }, 'persons.0.myNumber must be 12 digits'],
    [{ persons: [{ ...good, name: 42 }] }, 'persons.0.name must be a string'],
    [{ persons: [{ ...good, name: '' }] }, 'persons.0.name should not be empty'],
    [{ persons: [{ ...good, name: 'Sato Hanako' }] }, 'persons.0.name must be shorter than or equal to 5 characters'],
    [{ persons: [{ ...good, keep: 'yes' }] }, 'persons.0.keep must be a boolean value'],
    [{ persons: [{ ...good, gender: 'x' }] }, 'persons.0.gender must be one of female, male'],
    [{ persons: [] }, 'persons must contain at least 1 elements'],
    [{ persons: [good, good, good] }, 'persons must contain no more than 2 elements'],
    [{ persons: 'all' }, 'persons must be an array'],
    [[], 'must be an object'],
    [{ persons: [good], extra: 1 }, 'property extra should not exist'],
    [{ persons: [{ ...good, a: 1, b: 2 }] }, 'property persons.0.a should not exist; property persons.0.b should not exist'],
  ])('refuses %j with a 400 that says why, in the global pipe’s words', (body, reason) => {
    expect(refusal(body)).toEqual({ code: 'invalid-request', reason });
  });

  it('names every problem, one per line, and never echoes a value', () => {
    const response = refusal({ persons: [{ ...good, myNumber: '98765', name: '' }] }) as { reason: string };
    expect(response.reason).toBe('persons.0.myNumber must be 12 digits; persons.0.name should not be empty');
    expect(response.reason).not.toContain('98765');
  });

  it('refuses a __proto__ key that JSON.parse made an own property, rather than letting it through', () => {
    const body = JSON.parse(`{"persons":[{"myNumber":"123456789018","name":"Sato","gender":"female","__proto__":{"keep":true}}]}`);
    expect(refusal(body)).toEqual({ code: 'invalid-request', reason: 'property persons.0.__proto__ should not exist' });
  });

  it('describes the body in OpenAPI 3.0 from the same schema', () => {
    expect(openApiSchemaOf(batch)).toEqual({
      type: 'object',
      properties: {
        persons: {
          type: 'array',
          minItems: 1,
          maxItems: 2,
          items: {
            type: 'object',
            properties: {
              myNumber: { type: 'string', pattern: '^\\d{12}$' },
              name: { type: 'string', minLength: 1, maxLength: 5 },
              keep: { type: 'boolean' },
              gender: { type: 'string', enum: ['female', 'male'] },
            },
            required: ['myNumber', 'name', 'gender'],
            additionalProperties: false,
          },
        },
      },
      required: ['persons'],
      additionalProperties: false,
    });
  });
});
