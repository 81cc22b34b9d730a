import type { BasicFacts } from '@myna/protocol';
import type { AgencyRecords, BenefitStatus, CostCapCategory, ExemptionStatus, HealthRecords, InsuredCategory, PensionRecords, TaxRecords } from './agency-records';
import { ageOn, birthday, dateBetween, dayBefore, dayOfYear, daysInYear, fiscalYearMonths, laterOf } from './calendar';
import { MyNumberPermutation } from './my-number-permutation';
import { CITIES, FAMILY_NAMES, FICTIONAL_PREFECTURE, GIVEN_NAMES, NAME_ERA_CHANGE_YEAR, TOWNS } from './name-lists';
import { deriveWords, SeededPrng } from './seeded-prng';
import { HEALTH_AGENCY, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

/**
 * The population is a snapshot on this date, whatever day the seed runs: the
 * same seed always gives the same people, ages and records.
 */
export const SNAPSHOT_DATE = '2025-07-01';
/** Income years (and pension fiscal years) a person's records may cover: their 1–3 most recent. */
export const RECENT_YEARS = [2022, 2023, 2024] as const;

export type Gender = BasicFacts['gender'];

export interface SyntheticCitizen {
  /** Position in the seed's population: citizen i depends only on (seed, i). */
  index: number;
  /** Supplied to the issuer so that a re-run is recognised (see MyNumberPermutation). */
  myNumber: string;
  facts: BasicFacts;
  /** What each agency keeps about this person; an agency is absent where the person is not enrolled. */
  records: Partial<AgencyRecords>;
}

export class SyntheticPopulation {
  private readonly myNumbers: MyNumberPermutation;
  private readonly citizenKey: Uint32Array;

  constructor(readonly seed: string) {
    if (seed.length === 0) throw new RangeError('the population seed must not be empty');
    this.myNumbers = new MyNumberPermutation(seed);
    this.citizenKey = deriveWords('myna-seed/v1/citizen', [seed], 4);
  }

  citizen(index: number): SyntheticCitizen {
    const rng = SeededPrng.fromKey(this.citizenKey, index);
    const gender = rng.weighted(GENDER_SHARES);
    const dateOfBirth = drawDateOfBirth(rng);
    const facts: BasicFacts = { name: drawName(rng, gender, dateOfBirth), address: drawAddress(rng), dateOfBirth, gender };
    const life = drawLife(rng, dateOfBirth, gender);
    const records: Partial<AgencyRecords> = {};
    const tax = taxRecords(life);
    if (tax) records[TAX_AGENCY] = tax;
    const pension = pensionRecords(rng, life);
    if (pension) records[PENSION_AGENCY] = pension;
    const health = healthRecords(rng, life);
    if (health) records[HEALTH_AGENCY] = health;
    return { index, myNumber: this.myNumbers.myNumberOf(index), facts, records };
  }

  citizens(start: number, count: number): SyntheticCitizen[] {
    return Array.from({ length: count }, (_, offset) => this.citizen(start + offset));
  }
}

// --- basic facts -------------------------------------------------------------

const GENDER_SHARES: readonly (readonly [Gender, number])[] = [['female', 0.507], ['male', 0.488], ['other', 0.005]];

/** Rough shape of Japan's population by birth decade (millions alive today): many old, few young. */
const BIRTH_DECADES: readonly (readonly [number, number])[] = [
  [1930, 4], [1940, 13], [1950, 16], [1960, 16], [1970, 19], [1980, 16], [1990, 13], [2000, 11], [2010, 10], [2020, 4],
];
const LAST_BIRTH_YEAR = 2024;

function drawDateOfBirth(rng: SeededPrng): string {
  const decade = rng.weighted(BIRTH_DECADES);
  const year = rng.int(decade, Math.min(decade + 9, LAST_BIRTH_YEAR));
  return dayOfYear(year, rng.int(0, daysInYear(year) - 1));
}

function drawName(rng: SeededPrng, gender: Gender, dateOfBirth: string): string {
  const lists = GIVEN_NAMES[gender];
  // Eras overlap: a tenth of people get a name from the other era.
  const newer = (Number(dateOfBirth.slice(0, 4)) >= NAME_ERA_CHANGE_YEAR) !== rng.chance(0.1);
  return `${rng.pick(FAMILY_NAMES)} ${rng.pick(newer ? lists.newer : lists.older)}`;
}

function drawAddress(rng: SeededPrng): string {
  return `${rng.int(1, 9)}-${rng.int(1, 30)}-${rng.int(1, 20)} ${rng.pick(TOWNS)}-cho, ${rng.pick(CITIES)}-shi, ${FICTIONAL_PREFECTURE}`;
}

// --- a life, from which every agency's records follow --------------------------

type Occupation = 'child' | 'student' | 'employee' | 'self-employed' | 'dependent-spouse' | 'unemployed' | 'retired';

interface Life {
  dateOfBirth: string;
  age: number;
  occupation: Occupation;
  /** The years this person's records cover, oldest first. */
  years: number[];
  /** Earned income in each of `years` (0 where none). */
  workIncome: Map<number, number>;
  pensionCategory: InsuredCategory;
  benefit: { status: BenefitStatus; annualAmountYen: number };
}

/** Incomes run from 0 to this, heavily skewed: most people earn a few million yen. */
const MAX_INCOME_YEN = 20_000_000;
/** Below roughly this much earned income no resident tax is due. */
const WORK_INCOME_ALLOWANCE_YEN = 1_000_000;
/** The public-pension deduction for people of 65 and over. */
const PENSION_ALLOWANCE_YEN = 1_100_000;
const RESIDENT_TAX_RATE = 0.1;
/** The full basic (national) pension for 40 years of contributions, FY2024. */
const FULL_BASIC_PENSION_YEN = 816_000;

function drawOccupation(rng: SeededPrng, age: number, gender: Gender): Occupation {
  if (age < 15) return 'child';
  if (age < 20) return rng.weighted([['student', 0.9], ['employee', 0.07], ['unemployed', 0.03]]);
  if (age < 23) return rng.weighted([['student', 0.55], ['employee', 0.38], ['self-employed', 0.02], ['unemployed', 0.05]]);
  if (age < 60) {
    const dependent = { female: 0.24, male: 0.01, other: 0.1 }[gender];
    return rng.weighted([['employee', 0.86 - dependent], ['self-employed', 0.08], ['dependent-spouse', dependent], ['unemployed', 0.06]]);
  }
  if (age < 65) return rng.weighted([['employee', 0.55], ['self-employed', 0.12], ['dependent-spouse', 0.1], ['retired', 0.23]]);
  if (age < 75) return rng.weighted([['employee', 0.25], ['self-employed', 0.12], ['retired', 0.63]]);
  return rng.weighted([['employee', 0.03], ['self-employed', 0.05], ['retired', 0.92]]);
}

/** A typical year's earnings and how much they vary from year to year. */
function drawEarnings(rng: SeededPrng, occupation: Occupation, age: number, gender: Gender): { base: number; spread: number } {
  const partTime = (low: number, high: number) => ({ base: rng.int(low, high), spread: 0.1 });
  switch (occupation) {
    case 'employee': {
      if (age < 20) return partTime(300_000, 1_200_000);
      if (age < 23) return partTime(400_000, 2_500_000);
      if (gender !== 'male' && rng.chance(0.35)) return partTime(800_000, 2_000_000);
      const ageFactor = age < 30 ? 0.75 : age < 40 ? 0.95 : age < 60 ? 1.15 : age < 65 ? 0.7 : 0.55;
      return { base: rng.logNormal(4_200_000, 0.55) * ageFactor, spread: 0.06 };
    }
    case 'self-employed':
      return { base: rng.logNormal(3_000_000, 0.9) * (age < 65 ? 1 : 0.6), spread: 0.2 };
    case 'student':
      return rng.chance(0.4) ? partTime(200_000, 1_000_000) : { base: 0, spread: 0 };
    case 'dependent-spouse':
      // Most stay under the ¥1.03M "wall" that keeps them dependants.
      return rng.chance(0.45) ? partTime(300_000, 1_000_000) : { base: 0, spread: 0 };
    default:
      return { base: 0, spread: 0 };
  }
}

function drawPensionCategory(rng: SeededPrng, occupation: Occupation): InsuredCategory {
  if (occupation === 'employee') return 'category-2';
  if (occupation === 'dependent-spouse') return 'category-3';
  if (occupation === 'retired') return rng.weighted([['category-2', 0.6], ['category-1', 0.28], ['category-3', 0.12]]);
  return 'category-1';
}

function drawLife(rng: SeededPrng, dateOfBirth: string, gender: Gender): Life {
  const age = ageOn(dateOfBirth, SNAPSHOT_DATE);
  const occupation = drawOccupation(rng, age, gender);
  const years = RECENT_YEARS.slice(RECENT_YEARS.length - rng.int(1, RECENT_YEARS.length));
  const earnings = drawEarnings(rng, occupation, age, gender);
  const workIncome = new Map<number, number>();
  for (const year of years) {
    const workingAge = ageOn(dateOfBirth, `${year}-12-31`) >= 15;
    const amount = earnings.base * (1 + earnings.spread * rng.normal());
    workIncome.set(year, workingAge ? roundTo(clamp(amount, 0, MAX_INCOME_YEN), 1000) : 0);
  }
  const pensionCategory = drawPensionCategory(rng, occupation);
  let benefit: Life['benefit'] = { status: 'not-receiving', annualAmountYen: 0 };
  if (age >= 65) {
    let amount = FULL_BASIC_PENSION_YEN * (0.7 + 0.3 * rng.next());
    if (pensionCategory === 'category-2') amount += rng.logNormal(1_000_000, 0.35);
    // Working pensioners with high pay have their pension stopped (在職老齢年金).
    const highEarner = occupation === 'employee' && (workIncome.get(years[years.length - 1]) ?? 0) > 5_000_000;
    const status = highEarner && rng.chance(0.4) ? 'suspended' : 'receiving';
    benefit = { status, annualAmountYen: roundTo(clamp(amount, 0, 4_000_000), 100) };
  }
  const life: Life = { dateOfBirth, age, occupation, years, workIncome, pensionCategory, benefit };
  // Keep total income (earnings and pension) within the bound.
  for (const year of years) workIncome.set(year, Math.min(workIncome.get(year) ?? 0, MAX_INCOME_YEN - pensionIncome(life, year)));
  return life;
}

/** Pension paid in `year`, as taxable income. */
function pensionIncome(life: Life, year: number): number {
  const receiving = life.benefit.status === 'receiving' && ageOn(life.dateOfBirth, `${year}-12-31`) >= 65;
  return receiving ? life.benefit.annualAmountYen : 0;
}

function residentTax(work: number, pension: number): number {
  const taxable = Math.max(0, work - WORK_INCOME_ALLOWANCE_YEN) + Math.max(0, pension - PENSION_ALLOWANCE_YEN);
  return Math.floor((taxable * RESIDENT_TAX_RATE) / 100) * 100;
}

function isDependant(life: Life): boolean {
  return life.occupation === 'child' || life.occupation === 'student' || life.occupation === 'dependent-spouse';
}

// --- each agency's records ------------------------------------------------------

/** The tax office knows people with earnings, and pensioners whose pension exceeds the deduction. */
function taxRecords(life: Life): TaxRecords | undefined {
  const years = life.years.filter((year) => ageOn(life.dateOfBirth, `${year}-12-31`) >= 15);
  const declares = years.some((year) => (life.workIncome.get(year) ?? 0) > 0 || pensionIncome(life, year) > PENSION_ALLOWANCE_YEN);
  if (!declares) return undefined;
  return {
    incomes: years.map((year) => ({ fiscalYear: year, incomeYen: (life.workIncome.get(year) ?? 0) + pensionIncome(life, year) })),
    // Resident tax for fiscal year Y+1 is assessed on income of year Y.
    assessments: years.map((year) => ({ fiscalYear: year + 1, residentTaxYen: residentTax(life.workIncome.get(year) ?? 0, pensionIncome(life, year)) })),
  };
}

/** Everyone from 20 is in the national pension; contributions run to 60 (to 70 for employees). */
function pensionRecords(rng: SeededPrng, life: Life): PensionRecords | undefined {
  if (life.age < 20) return undefined;
  const records: PensionRecords = {
    enrolments: [{ category: life.pensionCategory, enrolledOn: laterOf(birthday(life.dateOfBirth, 20), '1961-04-01') }],
    contributions: [],
    exemptions: [],
    benefits: [life.benefit],
  };
  const lastContributionAge = life.occupation === 'employee' ? 70 : 60;
  for (const year of life.years) {
    const months = fiscalYearMonths(year).filter((month) => {
      const age = ageOn(life.dateOfBirth, `${month}-01`);
      return age >= 20 && age < lastContributionAge;
    }).length;
    if (months === 0) continue;
    if (life.pensionCategory !== 'category-1') {
      records.contributions.push({ fiscalYear: year, monthsPaid: months, monthsExempt: 0 });
      continue;
    }
    const lowIncome = (life.workIncome.get(year) ?? 0) < 1_200_000;
    const applies = life.occupation === 'student' ? rng.chance(0.7) : lowIncome && rng.chance(0.6);
    if (!applies) {
      // Roughly a fifth of category-1 people miss some payments.
      records.contributions.push({ fiscalYear: year, monthsPaid: rng.chance(0.78) ? months : rng.int(0, months), monthsExempt: 0 });
      continue;
    }
    const latest = year === life.years[life.years.length - 1];
    const status: ExemptionStatus = rng.weighted(latest ? [['granted', 0.8], ['denied', 0.1], ['applied', 0.1]] : [['granted', 0.88], ['denied', 0.12]]);
    records.exemptions.push({ fiscalYear: year, status });
    if (status === 'granted') records.contributions.push({ fiscalYear: year, monthsPaid: 0, monthsExempt: months });
    else records.contributions.push({ fiscalYear: year, monthsPaid: status === 'denied' ? rng.int(0, months) : 0, monthsExempt: 0 });
  }
  return records;
}

/** Chance of seeing a doctor in a given month: high for small children and the old. */
function monthlyClaimChance(age: number): number {
  if (age < 6) return 0.55;
  if (age < 15) return 0.3;
  if (age < 40) return 0.2;
  if (age < 65) return 0.3;
  if (age < 75) return 0.5;
  return 0.7;
}

/** Almost everyone is insured here; the rest are on public assistance or with another insurer. */
function healthRecords(rng: SeededPrng, life: Life): HealthRecords | undefined {
  if (!rng.chance(0.98)) return undefined;
  const eligibleFrom = laterOf(life.dateOfBirth, dateBetween('2000-04-01', '2024-12-31', rng.next()));
  const eligibleUntil = rng.chance(0.02) ? dateBetween(eligibleFrom, dayBefore(SNAPSHOT_DATE), rng.next()) : null;
  const covered = (month: string) => month >= eligibleFrom.slice(0, 7) && (eligibleUntil === null || month <= eligibleUntil.slice(0, 7));

  const claims: HealthRecords['claims'] = [];
  for (const year of life.years) {
    for (const month of fiscalYearMonths(year)) {
      if (!covered(month)) continue;
      const age = ageOn(life.dateOfBirth, `${month}-01`);
      if (!rng.chance(monthlyClaimChance(age))) continue;
      // Mostly outpatient visits of a few thousand yen; now and then a hospital stay.
      const amount = rng.chance(0.03) ? rng.logNormal(400_000, 0.7) : rng.logNormal(5_000 + age * 150, 0.9);
      claims.push({ serviceMonth: month, amountYen: roundTo(clamp(amount, 100, 10_000_000), 10) });
    }
  }
  return {
    coverage: [{ eligibleFrom, eligibleUntil }],
    claims,
    // The high-cost cap for fiscal year Y+1 follows income of year Y.
    costCaps: life.years.map((year) => ({ fiscalYear: year + 1, category: costCapCategory(life, year) })),
  };
}

/** 高額療養費 income bands (a: highest … e: exempt from resident tax). Dependants take the general band. */
function costCapCategory(life: Life, year: number): CostCapCategory {
  if (isDependant(life)) return 'd';
  const work = life.workIncome.get(year) ?? 0;
  const pension = pensionIncome(life, year);
  if (residentTax(work, pension) === 0) return 'e';
  const income = work + pension;
  if (income >= 11_600_000) return 'a';
  if (income >= 7_700_000) return 'b';
  if (income >= 3_700_000) return 'c';
  return 'd';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}
