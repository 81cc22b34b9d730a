import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PortalCodeRequestDto, PortalCodeResponseDto } from './dtos/portal-code.dto';
import { PortalCodeService } from './portal-code.service';
import { Services } from '@myna/platform';
import { MYNA_PORTAL } from '@myna/protocol';

@ApiTags('card certificates')
@Services(MYNA_PORTAL)
@Controller('portal-codes')
export class PortalCodeController {
  constructor(private readonly portalCodes: PortalCodeService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The portal's own code (機関別符号) for the holder of a valid card certificate: myna-portal only, sealed both ways" })
  @ApiOkResponse({ type: PortalCodeResponseDto })
  @ApiUnauthorizedResponse({ description: 'not signed by myna-portal' })
  @ApiNotFoundResponse({ description: 'no such certificate' })
  @ApiConflictResponse({ description: 'the certificate is suspended, revoked or expired; or the request was replayed' })
  async issue(@Body() body: PortalCodeRequestDto): Promise<PortalCodeResponseDto> {
    return { response: await this.portalCodes.issue(body.request) };
  }
}
