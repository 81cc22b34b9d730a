import { isValidMyNumber } from '@myna/codes';
import { z } from 'zod';
import { BENEFIT_STATUSES, COST_CAP_CATEGORIES, EXEMPTION_STATUSES, INSURED_CATEGORIES } from './agency-records';
import { ageOn } from './calendar';
import { CITIES, FAMILY_NAMES, GIVEN_NAMES, TOWNS } from './name-lists';
import { SNAPSHOT_DATE, SyntheticPopulation, type SyntheticCitizen } from './synthetic-population';

// Mirrors of the agencies' strict record schemas (apps/*/src/*/*.domain.ts). Tooling
// may not import apps; the integration test posts these records to the real agencies.
const fiscalYear = z.number().int().min(1990).max(2100);
const yen = z.number().int().min(0).max(1e12);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isCalendarDate, 'not a calendar date');
const months = z.number().int().min(0).max(12);
const recordSchemas = {
  'tax-agency': z.strictObject({
    incomes: z.array(z.strictObject({ fiscalYear, incomeYen: yen.max(20_000_000) })).min(1).max(50),
    assessments: z.array(z.strictObject({ fiscalYear, residentTaxYen: yen })).max(50),
  }),
  'pension-agency': z.strictObject({
    enrolments: z.array(z.strictObject({ category: z.enum(INSURED_CATEGORIES), enrolledOn: date })).length(1),
    contributions: z
      .array(z.strictObject({ fiscalYear, monthsPaid: months, monthsExempt: months }))
      .max(60)
      .refine((rows) => rows.every((row) => row.monthsPaid + row.monthsExempt <= 12), 'more than 12 months in a year'),
    exemptions: z.array(z.strictObject({ fiscalYear, status: z.enum(EXEMPTION_STATUSES) })).max(60),
    benefits: z.array(z.strictObject({ status: z.enum(BENEFIT_STATUSES), annualAmountYen: z.number().int().min(0).max(1e9) })).length(1),
  }),
  'health-agency': z.strictObject({
    coverage: z.array(z.strictObject({ eligibleFrom: date, eligibleUntil: date.nullable() })).length(1),
    claims: z.array(z.strictObject({ serviceMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), amountYen: z.number().int().min(0).max(1e10) })).max(120),
    costCaps: z.array(z.strictObject({ fiscalYear, category: z.enum(COST_CAP_CATEGORIES) })).max(50),
  }),
};

function isCalendarDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const demo = new SyntheticPopulation('demo');
const sample = demo.citizens(0, 10_000);

describe('SyntheticPopulation: deterministic', () => {
  it('gives the same first 1,000 citizens for the same seed', () => {
    expect(new SyntheticPopulation('demo').citizens(0, 1000)).toEqual(sample.slice(0, 1000));
  });

  it('gives a different population for a different seed', () => {
    const other = new SyntheticPopulation('demo2').citizens(0, 1000);
    const same = other.filter((citizen, i) => JSON.stringify(citizen) === JSON.stringify(sample[i]));
    expect(same).toHaveLength(0);
    expect(new Set(other.map((citizen) => citizen.myNumber)).size).toBe(1000);
    expect(other.filter((citizen, i) => citizen.myNumber === sample[i].myNumber)).toHaveLength(0);
  });

  it('makes citizen i depend only on (seed, i), so a run can resume anywhere', () => {
    const resumed = new SyntheticPopulation('demo').citizens(4321, 25);
    expect(resumed).toEqual(sample.slice(4321, 4346));
    expect(new SyntheticPopulation('demo').citizen(9999)).toEqual(sample[9999]);
  });

  it('refuses an empty seed', () => {
    expect(() => new SyntheticPopulation('')).toThrow('must not be empty');
  });
});

describe('SyntheticPopulation: plausible', () => {
  const share = (predicate: (citizen: SyntheticCitizen) => boolean) => sample.filter(predicate).length / sample.length;
  const age = (citizen: SyntheticCitizen) => ageOn(citizen.facts.dateOfBirth, SNAPSHOT_DATE);
  /** Citizens breaking a rule, named by index (one expect per rule: expect() in a 10k loop is slow). */
  const violations = (rule: (citizen: SyntheticCitizen) => boolean) => sample.filter((citizen) => !rule(citizen)).map((citizen) => citizen.index);

  it('has valid basic facts: calendar dates from 1930 to 2024, the three genders, listed names', () => {
    const givenNames = new Set<string>(Object.values(GIVEN_NAMES).flatMap((lists) => [...lists.older, ...lists.newer]));
    const familyNames = new Set<string>(FAMILY_NAMES);
    expect(violations(({ facts }) => isCalendarDate(facts.dateOfBirth) && facts.dateOfBirth >= '1930-01-01' && facts.dateOfBirth <= '2024-12-31')).toEqual([]);
    expect(violations(({ facts }) => ['female', 'male', 'other'].includes(facts.gender))).toEqual([]);
    expect(
      violations(({ facts }) => {
        const [family, given, ...rest] = facts.name.split(' ');
        return rest.length === 0 && familyNames.has(family) && givenNames.has(given);
      }),
    ).toEqual([]);
    expect(violations(({ facts }) => /^\d-\d{1,2}-\d{1,2} [A-Za-z]+-cho, [A-Za-z]+-shi, Example Prefecture$/.test(facts.address))).toEqual([]);
    expect(share((c) => c.facts.gender === 'female')).toBeGreaterThan(0.47);
    expect(share((c) => c.facts.gender === 'male')).toBeGreaterThan(0.45);
    expect(share((c) => c.facts.gender === 'other')).toBeGreaterThan(0);
    expect(share((c) => age(c) >= 65)).toBeGreaterThan(0.24); // Japan: about 29 %
    expect(share((c) => age(c) < 15)).toBeGreaterThan(0.08); // Japan: about 11 %
    expect(new Set(sample.map((c) => c.facts.address.split(' ')[1])).size).toBe(TOWNS.length);
    expect(new Set(sample.map((c) => c.facts.address.split(', ')[1])).size).toBe(CITIES.length);
  });

  it('gives every citizen a distinct, check-digit-valid My Number', () => {
    expect(violations((citizen) => isValidMyNumber(citizen.myNumber))).toEqual([]);
    expect(new Set(sample.map((citizen) => citizen.myNumber)).size).toBe(sample.length);
  });

  it.each(Object.keys(recordSchemas) as (keyof typeof recordSchemas)[])('gives %s records that fit its schema', (agency) => {
    const problems = sample.flatMap((citizen) => {
      const records = citizen.records[agency];
      const parsed = records === undefined ? undefined : recordSchemas[agency].safeParse(records);
      return parsed && !parsed.success ? [`#${citizen.index}: ${JSON.stringify(parsed.error.issues[0])}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('enrols almost everyone in health, adults of 20 and over in pension, earners and some pensioners in tax', () => {
    expect(share((c) => c.records['health-agency'] !== undefined)).toBeGreaterThan(0.97);
    expect(share((c) => c.records['health-agency'] !== undefined)).toBeLessThan(0.99);
    expect(violations((c) => (c.records['pension-agency'] !== undefined) === age(c) >= 20)).toEqual([]);
    const tax = share((c) => c.records['tax-agency'] !== undefined);
    expect(tax).toBeGreaterThan(0.5);
    expect(tax).toBeLessThan(0.85);
    expect(violations((c) => age(c) >= 14 || c.records['tax-agency'] === undefined)).toEqual([]);
    expect(sample.some((c) => age(c) >= 75 && c.records['tax-agency'] !== undefined)).toBe(true);
  });

  it('pays pensions from 65, with plausible amounts', () => {
    expect(
      violations((citizen) => {
        const [benefit] = citizen.records['pension-agency']?.benefits ?? [];
        if (!benefit) return true;
        if (age(citizen) < 65) return benefit.status === 'not-receiving' && benefit.annualAmountYen === 0;
        return benefit.status !== 'not-receiving' && benefit.annualAmountYen >= 500_000 && benefit.annualAmountYen <= 4_000_000;
      }),
    ).toEqual([]);
    expect(sample.filter((c) => c.records['pension-agency']?.benefits[0].status === 'receiving').length).toBeGreaterThan(2000);
  });

  it('has skewed incomes up to 20M yen, and resident tax about 10 % above a threshold', () => {
    const incomes = sample.flatMap((c) => c.records['tax-agency']?.incomes ?? []).map((row) => row.incomeYen).sort((a, b) => a - b);
    const median = incomes[Math.floor(incomes.length / 2)];
    const mean = incomes.reduce((sum, value) => sum + value, 0) / incomes.length;
    expect(median).toBeGreaterThan(1_500_000);
    expect(median).toBeLessThan(5_000_000);
    expect(mean).toBeGreaterThan(median); // right-skewed
    expect(incomes[incomes.length - 1]).toBeLessThanOrEqual(20_000_000);
    expect(incomes[incomes.length - 1]).toBeGreaterThan(15_000_000);
    expect(
      violations((citizen) => {
        const tax = citizen.records['tax-agency'];
        if (!tax) return true;
        return (
          tax.incomes.length === tax.assessments.length &&
          tax.incomes.every((income, i) => {
            const assessment = tax.assessments[i];
            return (
              assessment.fiscalYear === income.fiscalYear + 1 &&
              assessment.residentTaxYen <= income.incomeYen * 0.1 &&
              (income.incomeYen > 1_000_000 || assessment.residentTaxYen === 0)
            );
          })
        );
      }),
    ).toEqual([]);
  });

  it('covers 1 to 3 recent years, with a few claims a year and cap categories from income', () => {
    expect(
      violations((citizen) => {
        const health = citizen.records['health-agency'];
        if (!health) return true;
        const tax = citizen.records['tax-agency'];
        return (
          health.costCaps.length >= 1 &&
          health.costCaps.length <= 3 &&
          health.coverage[0].eligibleFrom >= citizen.facts.dateOfBirth &&
          health.costCaps.every((cap) => {
            const income = tax?.incomes.find((row) => row.fiscalYear === cap.fiscalYear - 1)?.incomeYen ?? 0;
            const residentTax = tax?.assessments.find((row) => row.fiscalYear === cap.fiscalYear)?.residentTaxYen ?? 0;
            if (cap.category === 'a') return income >= 11_600_000;
            if (cap.category === 'e') return residentTax === 0;
            return true;
          })
        );
      }),
    ).toEqual([]);
    const insured = sample.flatMap((c) => (c.records['health-agency'] ? [c.records['health-agency']] : []));
    const claimsPerYear = insured.reduce((sum, h) => sum + h.claims.length, 0) / insured.reduce((sum, h) => sum + h.costCaps.length, 0);
    expect(claimsPerYear).toBeGreaterThan(2);
    expect(claimsPerYear).toBeLessThan(8);
    expect(new Set(insured.flatMap((h) => h.costCaps.map((cap) => cap.category)))).toEqual(new Set(COST_CAP_CATEGORIES));
  });
});
