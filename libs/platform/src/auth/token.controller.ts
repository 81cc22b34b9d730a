import { Body, Controller, Headers, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OPERATOR_TOKEN_PATH } from '@myna/protocol';
import { Public } from './access-rule';
import { InvalidCredentialsError } from './access.exception';
import { OperatorTokens } from './operator-tokens';
import { RateLimit } from './rate-limit';

export class TokenRequestDto {
  @IsIn(['client_credentials'], { message: 'grant_type must be client_credentials' })
  grant_type!: 'client_credentials';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  scope?: string;

  @IsOptional()
  @Matches(/^[a-z-]+\.[a-z-]+$/, { message: 'client_id must be <service>.<role>' })
  client_id?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'client_secret must be base64url' })
  client_secret?: string;
}

/** The token endpoint every service serves for its own operators (OAuth 2.0 client credentials). */
@ApiTags('operator sign-in')
@Controller()
export class TokenController {
  constructor(@Inject(OperatorTokens) private readonly tokens: OperatorTokens) {}

  @Post(OPERATOR_TOKEN_PATH.slice(1))
  @HttpCode(HttpStatus.OK)
  @Public('the token endpoint: operators authenticate here with their client credentials')
  @RateLimit('token')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOperation({ summary: "An operator's access token (RFC 6749 §4.4): client id and secret by HTTP Basic or in the body; 5 minutes, for this service only" })
  @ApiOkResponse({ description: '{ access_token, token_type: "Bearer", expires_in, scope }' })
  @ApiUnauthorizedResponse({ description: 'unknown client or wrong secret' })
  async token(@Body() body: TokenRequestDto, @Headers('authorization') authorization: string | undefined) {
    // RFC 6749 §5.1's Cache-Control: no-store comes with every answer (installResponseHeaders).
    const basic = readBasic(authorization);
    const clientId = basic?.clientId ?? body.client_id;
    const clientSecret = basic?.clientSecret ?? body.client_secret;
    if (!clientId || !clientSecret) throw new InvalidCredentialsError('give the client id and secret by HTTP Basic or as client_id and client_secret');
    const issued = await this.tokens.issue(clientId, clientSecret, body.scope);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }
}

/** `Basic base64(urlencoded id ":" urlencoded secret)`, as RFC 6749 §2.3.1 spells it. */
function readBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
