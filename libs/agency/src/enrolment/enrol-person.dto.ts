import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CODE_ISSUANCE_MAX_BATCH, GENDERS } from '@myna/protocol';

export class EnrolPersonDto {
  @ApiProperty({ description: 'My Number (個人番号), as written on the form. Used once to obtain the agency code, then discarded.', example: '123456789018' })
  @Matches(/^\d{12}$/, { message: 'myNumber must be 12 digits' })
  myNumber!: string;

  @ApiProperty({ example: 'Hanako Sato' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '1-2-3 Kasumigaseki, Chiyoda-ku, Tokyo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  address!: string;

  @ApiProperty({ example: '1980-04-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be YYYY-MM-DD' })
  dateOfBirth!: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: (typeof GENDERS)[number];

  @ApiPropertyOptional({ description: 'Keep name, address and date of birth as contact data (off by default: data minimization).' })
  @IsOptional()
  @IsBoolean()
  keepContactData?: boolean;

  @ApiPropertyOptional({ description: "This agency's own records about the person (see the agency's schema)." })
  @IsOptional()
  @IsObject()
  records?: Record<string, unknown>;
}

export class EnrolBatchDto {
  @ApiProperty({ type: [EnrolPersonDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(CODE_ISSUANCE_MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => EnrolPersonDto)
  persons!: EnrolPersonDto[];
}

export type EnrolmentOutcome =
  | { status: 'enrolled'; personId: string }
  | { status: 'already-enrolled'; personId: string }
  | { status: 'refused'; reason: string };
