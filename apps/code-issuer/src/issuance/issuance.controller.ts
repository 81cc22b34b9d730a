import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CodeIssuanceRequestDto, CodeIssuanceResponseDto } from './dtos/code-issuance.dto';
import { IssuanceService } from './issuance.service';
import { CurrentPrincipal, Services, type Principal } from '@myna/platform';
import { AGENCIES } from '@myna/protocol';

@ApiTags('code issuance')
@Services(...AGENCIES)
@Controller('code-issuance')
export class IssuanceController {
  constructor(private readonly issuanceService: IssuanceService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Issue agency codes (機関別符号) for the persons in an agency's sealed request" })
  @ApiOkResponse({ type: CodeIssuanceResponseDto, description: 'one result per person, issued or refused with a reason' })
  @ApiBadRequestResponse({ description: 'malformed, expired, misaddressed or not-for-me request; `reason` says which' })
  @ApiUnauthorizedResponse({ description: 'bad signature, impersonation or a sender that may not ask' })
  @ApiConflictResponse({ description: 'replayed: this message id was already answered' })
  async issue(@Body() body: CodeIssuanceRequestDto, @CurrentPrincipal() caller: Principal): Promise<CodeIssuanceResponseDto> {
    return { response: await this.issuanceService.issue(body.request, caller) };
  }
}
