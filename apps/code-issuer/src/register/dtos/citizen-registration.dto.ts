import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RegisterRefusal } from '../register.exception';

/** The identifiers of a registered citizen. The processing serial is never among them. */
export class CitizenRegisteredDto {
  @ApiProperty({ example: '12345678908' })
  residenceCode!: string;

  @ApiProperty({ example: '123456789018' })
  myNumber!: string;
}

/** One citizen's outcome in a batch, at the same position as in the request. */
export class CitizenRegistrationResultDto {
  @ApiProperty({ enum: ['registered', 'refused'] })
  status!: 'registered' | 'refused';

  @ApiPropertyOptional({ description: 'when registered' })
  residenceCode?: string;

  @ApiPropertyOptional({ description: 'when registered' })
  myNumber?: string;

  @ApiPropertyOptional({ enum: ['duplicate-my-number', 'duplicate-residence-code'], description: 'when refused' })
  reason?: RegisterRefusal;

  @ApiPropertyOptional({ description: 'when refused' })
  message?: string;
}

export class CitizenBatchRegisteredDto {
  @ApiProperty()
  registered!: number;

  @ApiProperty()
  refused!: number;

  @ApiProperty({ type: [CitizenRegistrationResultDto] })
  results!: CitizenRegistrationResultDto[];
}

export class CitizenCountDto {
  @ApiProperty({ example: 100000 })
  count!: number;
}
