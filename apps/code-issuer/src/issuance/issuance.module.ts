import { Module } from '@nestjs/common';
import { RegisterModule } from '../register/register.module';
import { codeWorkerPoolProvider } from './code-worker-pool.provider';
import { IssuanceController } from './issuance.controller';
import { IssuanceRepository } from './issuance.repository';
import { IssuanceService } from './issuance.service';

@Module({
  imports: [RegisterModule],
  controllers: [IssuanceController],
  providers: [IssuanceService, IssuanceRepository, codeWorkerPoolProvider],
})
export class IssuanceModule {}
