import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './access.guard';
import { OperatorTokens } from './operator-tokens';
import { rateLimitThrottlers, type RateLimitBudgets } from './rate-limit';
import { RouteAudit } from './route-audit';
import { ServiceRequests } from './service-requests';
import { TokenController } from './token.controller';

/**
 * Who may call what, for every service: the access guard (deny by default), the
 * operators' token endpoint, service request signatures, and rate limits at the
 * edges that need them. The access guard runs first, so limits can count per operator.
 */
@Module({})
export class AccessModule {
  static register(budgets: RateLimitBudgets): DynamicModule {
    return {
      module: AccessModule,
      imports: [DiscoveryModule, ThrottlerModule.forRoot({ throttlers: rateLimitThrottlers(budgets) })],
      controllers: [TokenController],
      providers: [
        OperatorTokens,
        ServiceRequests,
        RouteAudit,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
      exports: [OperatorTokens, ServiceRequests, RouteAudit],
    };
  }
}
