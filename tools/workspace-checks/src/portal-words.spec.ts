// A check across parties: every record the agencies keep, every column and every
// value they keep as a code, has words on the portal's *My information* page,
// with the Japanese term a notice would use. A new field or status in an agency's
// schema fails here until the portal can say it to a citizen.
import { z } from 'zod';
/* eslint-disable @nx/enforce-module-boundaries -- this check reads the agencies' schemas and the portal's words side by side */
import { insuranceRecordsSchema } from '../../../apps/health-agency/src/insurance/insurance.domain';
import { pensionRecordsSchema } from '../../../apps/pension-agency/src/pension/pension.domain';
import { taxRecordsSchema } from '../../../apps/tax-agency/src/taxation/taxation.domain';
import { fieldName, recordKindName, valueLabel } from '../../../apps/myna-portal/src/pages/presentation';
/* eslint-enable @nx/enforce-module-boundaries */

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

/** Through optional and nullable wrappers to the type inside. */
function inner(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return inner(schema.unwrap() as z.ZodType);
  return schema;
}

interface Column {
  agency: string;
  kind: string;
  field: string;
  values: readonly string[];
}

function columnsOf(agency: string, schema: z.ZodObject): Column[] {
  return Object.entries(schema.shape).flatMap(([kind, records]) => {
    const list = inner(records as z.ZodType);
    if (!(list instanceof z.ZodArray)) throw new Error(`${agency} ${kind} is not a list of records`);
    const row = inner(list.element as z.ZodType);
    if (!(row instanceof z.ZodObject)) throw new Error(`${agency} ${kind} rows are not objects`);
    return Object.entries(row.shape).map(([field, type]) => {
      const value = inner(type as z.ZodType);
      return { agency, kind, field, values: value instanceof z.ZodEnum ? (value.options as string[]) : [] };
    });
  });
}

const columns = [
  ...columnsOf('tax-agency', taxRecordsSchema),
  ...columnsOf('pension-agency', pensionRecordsSchema),
  ...columnsOf('health-agency', insuranceRecordsSchema),
];

describe('the portal’s words for what agencies hold', () => {
  it('finds the agencies’ columns and coded values', () => {
    expect(columns.length).toBeGreaterThan(10);
    expect(columns.filter((column) => column.values.length > 0).map((column) => `${column.kind}.${column.field}`).sort()).toEqual([
      'benefits.status',
      'costCaps.category',
      'enrolments.category',
      'exemptions.status',
    ]);
  });

  it.each(columns.map((column) => [`${column.agency} ${column.kind}.${column.field}`, column] as const))('%s: the record, the column and every value it may hold have words, with the Japanese term', (_, column) => {
    expect(recordKindName(column.kind)).toMatch(JAPANESE);
    expect(fieldName(column.kind, column.field)).toMatch(JAPANESE);
    const missing = column.values.filter((value) => !JAPANESE.test(valueLabel(column.kind, column.field, value) ?? ''));
    expect(missing).toEqual([]);
  });
});
