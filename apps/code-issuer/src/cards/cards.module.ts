import { Module } from '@nestjs/common';
import { cardSigningKeyProviders } from './card-signing-key.provider';
import { CardsController } from './cards.controller';
import { CardsRepository } from './cards.repository';
import { CardsService } from './cards.service';

@Module({
  controllers: [CardsController],
  providers: [CardsService, CardsRepository, ...cardSigningKeyProviders],
  exports: [CardsRepository],
})
export class CardsModule {}
