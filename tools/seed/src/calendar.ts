// Calendar arithmetic on YYYY-MM-DD strings, in UTC so the time zone never shifts a day.

const DAY_MS = 86_400_000;

export function isoDate(year: number, monthIndex: number, day: number): string {
  return new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);
}

export function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}

/** The `dayOfYear`-th day (0-based) of `year`. */
export function dayOfYear(year: number, day: number): string {
  return new Date(Date.UTC(year, 0, 1) + day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole years lived on `date` by someone born on `dateOfBirth`. */
export function ageOn(dateOfBirth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return date.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** The `years`-th birthday (29 February rolls to 1 March in other years). */
export function birthday(dateOfBirth: string, years: number): string {
  return isoDate(Number(dateOfBirth.slice(0, 4)) + years, Number(dateOfBirth.slice(5, 7)) - 1, Number(dateOfBirth.slice(8, 10)));
}

/** A uniformly drawn date in [from, to], given a uniform number in [0, 1). */
export function dateBetween(from: string, to: string, uniform: number): string {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS);
  return new Date(start + Math.floor(uniform * (days + 1)) * DAY_MS).toISOString().slice(0, 10);
}

const fiscalMonths = new Map<number, readonly string[]>();

/** The twelve months of Japanese fiscal year `fiscalYear` (April to March), as YYYY-MM. */
export function fiscalYearMonths(fiscalYear: number): readonly string[] {
  let months = fiscalMonths.get(fiscalYear);
  if (!months) {
    months = Array.from({ length: 12 }, (_, offset) => isoDate(fiscalYear, 3 + offset, 1).slice(0, 7));
    fiscalMonths.set(fiscalYear, months);
  }
  return months;
}

export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}
