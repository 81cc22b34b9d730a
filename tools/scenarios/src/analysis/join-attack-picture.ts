import type { JoinAttackExhibit } from '../runner/trace-format';
import type { TableShape } from '../federation/databases';
import { classifyColumn, type JoinAttackResult } from './join-attack';

/**
 * The join attack as reports/index.html draws it: each dump's tables and columns
 * (by what a join on them would mean), and the column pairs that shared values,
 * with how many persons each linked. Counts only: no value of any dump.
 */
export function joinAttackPicture(dumps: readonly { party: string; tables: readonly TableShape[] }[], attack: JoinAttackResult): JoinAttackExhibit {
  const profiles = new Map(attack.profiles.map((profile) => [profile.party, profile.profile]));
  return {
    kind: 'join-attack',
    dumps: dumps.map((dump) => ({
      party: dump.party,
      rows: dump.tables.reduce((sum, table) => sum + table.rowCount, 0),
      profile: profiles.get(dump.party) ?? 'unknown',
      tables: dump.tables.map((table) => ({
        table: table.table,
        rows: table.rowCount,
        columns: table.columns.map((column) => ({ name: column.name, class: classifyColumn(column.name, column.type) })),
      })),
    })),
    columnPairsTried: attack.columnPairsTried,
    joins: attack.joins.map(({ left, right, category, sharedValues, linkedPersons }) => ({ left, right, category, sharedValues, linkedPersons })),
    quasiIdentifierJoins: attack.quasiIdentifierJoins.map(({ left, right, columns, linkedPersons }) => ({ left, right, columns, linkedPersons })),
    identifierLinks: attack.joins.filter((join) => join.category === 'identifier').reduce((sum, join) => sum + join.linkedPersons, 0),
  };
}
