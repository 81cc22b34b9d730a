import { Module } from '@nestjs/common';
import { RegisterModule } from '../register/register.module';
import { IssuanceController } from './issuance.controller';
import { IssuanceRepository } from './issuance.repository';
import { IssuanceService } from './issuance.service';
import { issuerBundleProvider } from './issuer-bundle.provider';

@Module({
  imports: [RegisterModule],
  controllers: [IssuanceController],
  providers: [IssuanceService, IssuanceRepository, issuerBundleProvider],
})
export class IssuanceModule {}
