import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { EXCHANGE_STATES, type ExchangeState } from '../exchange.entity';

export const MAX_PAGE = 500;

export class ListQueryDto {
  @ApiPropertyOptional({ description: 'How many, newest first', minimum: 1, maximum: MAX_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit = 50;
}

export class ListExchangesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: EXCHANGE_STATES, description: 'Only exchanges in this state' })
  @IsOptional()
  @IsIn(EXCHANGE_STATES)
  status?: ExchangeState;
}

export class ExchangeIdParamDto {
  @IsUUID()
  id!: string;
}
