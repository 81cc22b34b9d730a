import { Module } from '@nestjs/common';
import { RegisterController } from './register.controller';
import { RegisterService } from './register.service';
import { ResidenceRegisterRepository } from './residence-register.repository';

@Module({
  controllers: [RegisterController],
  providers: [RegisterService, ResidenceRegisterRepository],
  exports: [ResidenceRegisterRepository],
})
export class RegisterModule {}
