import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ApiKeyRepository,
  REST_AUTH_ERRORS,
  ROLES_KEY,
  checkApiKey,
  type ApiKeyPrincipal,
  type ApiKeyRole,
} from '@catalens/db';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';

export type AuthenticatedRequest = Request & { principal: ApiKeyPrincipal };

/** Reads the key from `Authorization: Bearer <key>` or `X-Api-Key`; the key decides the tenant. */
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
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const checked = await checkApiKey(this.keys, req.headers, roles);
    if ('problem' in checked) {
      const { status, code } = REST_AUTH_ERRORS[checked.problem];
      throw new ApiError(status, code, checked.message);
    }
    req.principal = checked.principal;
    return true;
  }
}
