import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { RegisterCitizenDto } from './register-citizen.dto';

/** Seeding registers 100k citizens; a thousand per request keeps each insert one statement. */
export const REGISTER_MAX_BATCH = 1000;

export class RegisterCitizensDto {
  @ApiProperty({ type: [RegisterCitizenDto], minItems: 1, maxItems: REGISTER_MAX_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(REGISTER_MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => RegisterCitizenDto)
  citizens!: RegisterCitizenDto[];
}
