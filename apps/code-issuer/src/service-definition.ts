import type { ServiceDefinition } from '@myna/platform';
import { BULK_BODY_LIMITS, CODE_ISSUER } from '@myna/protocol';
import { CardCertificateEntity } from './cards/card-certificate.entity';
import { CardsModule } from './cards/cards.module';
import { CodeIssuanceEntity } from './issuance/code-issuance.entity';
import { IssuanceModule } from './issuance/issuance.module';
import { IssuanceRequestEntity } from './issuance/issuance-request.entity';
import { migrations } from './migrations';
import { PortalCodeModule } from './portal-codes/portal-code.module';
import { CitizenEntity } from './register/citizen.entity';
import { RegisterModule } from './register/register.module';

export const codeIssuerService: ServiceDefinition = {
  name: CODE_ISSUER,
  title: 'Code issuer (J-LIS)',
  description:
    `Keeps the residence register (My Number, residence code, processing serial), issues agency-specific codes (機関別符号) and card certificates. Holds no agency's records.`,
  entities: [CitizenEntity, IssuanceRequestEntity, CodeIssuanceEntity, CardCertificateEntity],
  migrations,
  imports: [RegisterModule, IssuanceModule, CardsModule, PortalCodeModule],
  usesKeys: true,
  bulkRoutes: { '/citizens/batch': BULK_BODY_LIMITS.citizensBatch, '/code-issuance': BULK_BODY_LIMITS.codeIssuance },
};
