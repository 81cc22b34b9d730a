import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A thousand persons, signed then encrypted, stay well under this. */
export const SEALED_REQUEST_MAX_LENGTH = 4_000_000;

export class CodeIssuanceRequestDto {
  @ApiProperty({
    description: 'A code-issuance-request+jwt signed by an agency and encrypted to code-issuer (compact JWE)',
    example: 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIs…',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SEALED_REQUEST_MAX_LENGTH)
  request!: string;
}

export class CodeIssuanceResponseDto {
  @ApiProperty({
    description: 'A code-issuance-response+jwt { requestId, results } signed by code-issuer and encrypted to the requesting agency',
  })
  response!: string;
}
