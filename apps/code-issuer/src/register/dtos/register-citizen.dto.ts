import { basicFactsSchema, GENDERS, type BasicFacts } from '@myna/protocol';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { normaliseFact } from '../basic-facts';
import { IsDateOfBirth, IsMyNumber, IsResidenceCode } from './register-validators';

// The register accepts exactly what a code-issuance request can carry, so every citizen can be matched.
const NAME_MAX = basicFactsSchema.shape.name.maxLength ?? 200;
const ADDRESS_MAX = basicFactsSchema.shape.address.maxLength ?? 400;
// PostgreSQL text cannot hold NUL, and no register entry needs a control character.
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

// Absent means "draw one"; null is a mistake, not absence.
const isPresent = (_: object, value: unknown) => value !== undefined;

const canonical = ({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseFact(value) : value);

/** One person to enter in the residence register. The processing serial is always drawn here. */
export class RegisterCitizenDto {
  @ApiProperty({ example: '山田 太郎', maxLength: NAME_MAX })
  @Transform(canonical)
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX)
  @Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' })
  name!: string;

  @ApiProperty({ example: '東京都千代田区千代田1-1', maxLength: ADDRESS_MAX })
  @Transform(canonical)
  @IsString()
  @IsNotEmpty()
  @MaxLength(ADDRESS_MAX)
  @Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' })
  address!: string;

  @ApiProperty({ example: '1985-04-12', description: 'YYYY-MM-DD, a real calendar date, not in the future' })
  @IsDateOfBirth()
  dateOfBirth!: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS, { message: `$property must be one of ${GENDERS.join(', ')}` })
  gender!: BasicFacts['gender'];

  @ApiPropertyOptional({ example: '123456789018', description: '12 digits with a valid check digit; drawn when absent' })
  @ValidateIf(isPresent)
  @IsMyNumber()
  myNumber?: string;

  @ApiPropertyOptional({ example: '12345678908', description: '11 digits with a valid check digit; drawn when absent' })
  @ValidateIf(isPresent)
  @IsResidenceCode()
  residenceCode?: string;
}
