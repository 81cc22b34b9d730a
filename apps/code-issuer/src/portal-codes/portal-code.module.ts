import { Module } from '@nestjs/common';
import { CardsModule } from '../cards/cards.module';
import { issuerBundleProvider } from '../issuance/issuer-bundle.provider';
import { PortalCodeController } from './portal-code.controller';
import { PortalCodeService } from './portal-code.service';

@Module({
  imports: [CardsModule],
  controllers: [PortalCodeController],
  providers: [PortalCodeService, issuerBundleProvider],
})
export class PortalCodeModule {}
