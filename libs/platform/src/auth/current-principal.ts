import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PRINCIPAL, type Principal } from './principal';

/** The principal the access guard authenticated for this request (undefined on a public route). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL];
});
