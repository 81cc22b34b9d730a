/**
 * Exact linear algebra over the rationals, for the breach analysis: is a
 * monomial in the ceremony's secrets a product of powers of the ones an attacker
 * holds? Scalars live in a prime field, where roots of known values can be taken,
 * so rational (not only integer) combinations count as derivable.
 */

/** A product of powers of named secrets: s_B / (c_B←A · s_A) is { s[B]: 1, c[A>B]: -1, s[A]: -1 }. */
export type Monomial = Readonly<Record<string, number>>;

interface Fraction {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

function fraction(n: bigint, d: bigint): Fraction {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

const sub = (a: Fraction, b: Fraction) => fraction(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Fraction, b: Fraction) => fraction(a.n * b.n, a.d * b.d);
const div = (a: Fraction, b: Fraction) => fraction(a.n * b.d, a.d * b.n);

type Row = Map<string, Fraction>;

function toRow(monomial: Monomial): Row {
  const row: Row = new Map();
  for (const [variable, exponent] of Object.entries(monomial)) {
    if (!Number.isInteger(exponent)) throw new Error(`exponent of ${variable} must be an integer`);
    if (exponent !== 0) row.set(variable, fraction(BigInt(exponent), 1n));
  }
  return row;
}

/** The rational span of a set of monomials (as exponent vectors), in row-echelon form. */
export class RationalSpan {
  private readonly rows: { pivot: string; row: Row }[] = [];

  constructor(generators: Iterable<Monomial> = []) {
    for (const generator of generators) this.add(generator);
  }

  /** Dimension of the span: how many of the generators were independent. */
  get rank(): number {
    return this.rows.length;
  }

  add(monomial: Monomial): boolean {
    const row = this.reduce(toRow(monomial));
    const pivot = row.keys().next();
    if (pivot.done) return false;
    const lead = row.get(pivot.value)!;
    for (const [variable, value] of row) row.set(variable, div(value, lead));
    this.rows.push({ pivot: pivot.value, row });
    return true;
  }

  contains(monomial: Monomial): boolean {
    return this.reduce(toRow(monomial)).size === 0;
  }

  private reduce(row: Row): Row {
    for (const { pivot, row: basis } of this.rows) {
      const factor = row.get(pivot);
      if (!factor) continue;
      for (const [variable, value] of basis) {
        const next = sub(row.get(variable) ?? { n: 0n, d: 1n }, mul(factor, value));
        if (next.n === 0n) row.delete(variable);
        else row.set(variable, next);
      }
    }
    return row;
  }
}

/** a − b, as exponent vectors: the monomial a / b. */
export function quotient(a: Monomial, b: Monomial): Monomial {
  const result: Record<string, number> = { ...a };
  for (const [variable, exponent] of Object.entries(b)) result[variable] = (result[variable] ?? 0) - exponent;
  return result;
}
