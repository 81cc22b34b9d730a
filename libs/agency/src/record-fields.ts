import { z } from 'zod';

// Fields of the agencies' records schemas that PostgreSQL would otherwise be the
// first to refuse (a 5xx): a date must be one of the calendar, a month one of the year.

/** A calendar date, YYYY-MM-DD (2023-02-29 is refused). */
export const calendarDate = z.iso.date({ error: 'must be a calendar date, YYYY-MM-DD' });

/** A month of a year, YYYY-MM. */
export const calendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
