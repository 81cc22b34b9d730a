/**
 * How the reports show a long value: its head and tail, so that two values can
 * still be told apart and matched against a dump, and nothing in between is made
 * up. Short values are shown whole.
 */
export const SHOWN_WHOLE_UP_TO = 40;

export function shown(value: string): string {
  if (value.length <= SHOWN_WHOLE_UP_TO) return value;
  return `${value.slice(0, 16)}…${value.slice(-6)}`;
}

/** A JSON value with every long string in it shortened; numbers, booleans and short strings whole. */
export function shownJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? shown(inner) : inner)) ?? 'undefined';
}

/** A database value as text: JSON (a jsonb column) shortened inside, anything else as `shown`. */
export function shownText(value: string): string {
  if (/^[[{]/.test(value)) {
    try {
      return shownJson(JSON.parse(value));
    } catch {
      // not JSON after all
    }
  }
  return shown(value);
}
