// The six parties of the simulator, in the order they are listed to the user.

export const SERVICE_NAMES = ['code-issuer', 'exchange-hub', 'tax-agency', 'pension-agency', 'health-agency', 'myna-portal'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceDescription {
  name: ServiceName;
  role: string;
  defaultPort: number;
}

export const SERVICES: readonly ServiceDescription[] = [
  { name: 'code-issuer', role: 'J-LIS code issuer', defaultPort: 4000 },
  { name: 'exchange-hub', role: 'Information Provision Network hub', defaultPort: 4001 },
  { name: 'tax-agency', role: 'municipal tax office', defaultPort: 4002 },
  { name: 'pension-agency', role: 'Japan Pension Service', defaultPort: 4003 },
  { name: 'health-agency', role: 'health insurer', defaultPort: 4004 },
  { name: 'myna-portal', role: 'MynaPortal', defaultPort: 4005 },
];

/** `tax-agency` → `TAX_AGENCY`, the prefix of its environment variables. */
export function envPrefix(service: ServiceName): string {
  return service.toUpperCase().replace(/-/g, '_');
}

export function portVariable(service: ServiceName): string {
  return `${envPrefix(service)}_PORT`;
}

export function databaseUrlVariable(service: ServiceName): string {
  return `${envPrefix(service)}_DATABASE_URL`;
}
