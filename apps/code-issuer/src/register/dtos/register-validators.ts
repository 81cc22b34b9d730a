import { CodesError, parseMyNumber, parseResidenceCode } from '@myna/codes';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** Older than anyone alive, and PostgreSQL's `date` has no year 0. */
export const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

/** What is wrong with a date of birth, or undefined when it is a real, past calendar date. */
export function dateOfBirthProblem(value: unknown, today = new Date()): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be a date in YYYY-MM-DD form';
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return 'is not a calendar date';
  if (value < EARLIEST_DATE_OF_BIRTH) return `must not be before ${EARLIEST_DATE_OF_BIRTH}`;
  if (value > today.toISOString().slice(0, 10)) return 'must not be in the future';
  return undefined;
}

export function IsDateOfBirth(options?: ValidationOptions): PropertyDecorator {
  return checkedBy('isDateOfBirth', (value) => dateOfBirthProblem(value), options);
}

/** A 12-digit My Number with a correct check digit; the message says exactly what is wrong. */
export function IsMyNumber(options?: ValidationOptions): PropertyDecorator {
  return checkedBy('isMyNumber', codesProblem(parseMyNumber), options);
}

/** An 11-digit residence code with a correct check digit; the message says exactly what is wrong. */
export function IsResidenceCode(options?: ValidationOptions): PropertyDecorator {
  return checkedBy('isResidenceCode', codesProblem(parseResidenceCode), options);
}

/** CodesError messages say what is wrong without echoing the number. */
function codesProblem(parse: (input: unknown) => unknown): (value: unknown) => string | undefined {
  return (value) => {
    try {
      parse(value);
      return undefined;
    } catch (error) {
      if (error instanceof CodesError) return error.message;
      throw error;
    }
  };
}

function checkedBy(name: string, problem: (value: unknown) => string | undefined, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => `${args?.property}: ${problem(args?.value)}`,
      },
    });
}
