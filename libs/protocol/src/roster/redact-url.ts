/**
 * A URL fit for a log line, an error message or a report: its password replaced. The
 * services' database and Redis URLs carry their credentials, and no secret is printed.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // http://host/ prints as http://host, as it was most likely written.
    return parsed.pathname === '/' && !parsed.search && !parsed.hash ? parsed.toString().replace(/\/$/, '') : parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
