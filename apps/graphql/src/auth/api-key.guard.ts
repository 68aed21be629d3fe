import { ApiKeyRepository, ROLES_KEY, checkApiKey, type ApiKeyRole } from '@catalens/db';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { apiError } from '../common/api-errors';
import type { RequestContext } from './request-context';

/**
 * API key from `Authorization: Bearer <key>` or `X-Api-Key`, checked once per request; the key's
 * tenant is then the only tenant any resolver of that request can read or change.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (ctx.principal) {
      if (!roles.some((role) => ctx.principal!.roles.includes(role)))
        throw apiError('FORBIDDEN', `this API key lacks the ${roles.join(' or ')} role`);
      return true;
    }
    const checked = await checkApiKey(this.keys, ctx.req.headers, roles);
    if ('problem' in checked)
      throw apiError(checked.problem === 'forbidden' ? 'FORBIDDEN' : 'UNAUTHENTICATED', checked.message);
    ctx.principal = checked.principal;
    return true;
  }
}
