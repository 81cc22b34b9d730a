import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class PortalCodeRequestDto {
  @ApiProperty({ description: 'portal-code-request+jwt { certificateSerial }, signed by myna-portal and encrypted to code-issuer (compact JWE)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(16_384)
  request!: string;
}

export class PortalCodeResponseDto {
  @ApiProperty({ description: 'portal-code-response+jwt { requestId, certificateSerial, portalCode }, signed by code-issuer and encrypted to myna-portal' })
  response!: string;
}
