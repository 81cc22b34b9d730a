import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUUID, Matches } from 'class-validator';
import { CODE_HOLDERS, TAX_AGENCY } from '@myna/protocol';

export class StartInquiryDto {
  @ApiProperty({ description: "One of this agency's own persons (its internal id)" })
  @IsUUID('4')
  personId!: string;

  @ApiProperty({ enum: CODE_HOLDERS, example: TAX_AGENCY })
  @IsIn(CODE_HOLDERS)
  provider!: string;

  @ApiProperty({ description: 'Legal rule id from the legal-basis table', example: 'R-PEN-TAX-INCOME' })
  @Matches(/^R-[A-Z0-9-]+$/, { message: 'rule must be a rule id such as R-PEN-TAX-INCOME' })
  rule!: string;

  @ApiProperty({ example: 'annual-income' })
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'item must be a lower-case item name such as annual-income' })
  item!: string;

  @ApiPropertyOptional({ example: { fiscalYear: 2025 } })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, string | number | boolean>;
}
