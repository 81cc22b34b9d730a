import type { ServiceDefinition } from '@myna/platform';
import { migrations } from './migrations';

export const codeIssuerService: ServiceDefinition = {
  name: 'code-issuer',
  title: 'Code issuer (J-LIS)',
  description:
    `Keeps the residence register (My Number, residence code, processing serial), issues agency-specific codes (機関別符号) and card certificates. Holds no agency's records.`,
  entities: [],
  migrations,
  imports: [],
};
