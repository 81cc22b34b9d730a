import { z } from 'zod';

// Fields of the agencies' records schemas that a pattern alone lets through: a date
// no calendar has (PostgreSQL would refuse it, as a 5xx) or a thirteenth month (a
// char(7) column would keep it). A date must be one of the calendar, a month one of the year.

/** A calendar date, YYYY-MM-DD (2023-02-29 is refused). */
export const calendarDate = z.iso.date({ error: 'must be a calendar date, YYYY-MM-DD' });

/** A month of a year, YYYY-MM. */
export const calendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
