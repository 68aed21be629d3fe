import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRepository, type ApiKeyPrincipal, type ApiKeyRole } from '@catalens/db';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { ROLES_KEY } from './roles.decorator';

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
    const header = req.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') {
      throw new ApiError(
        401,
        'API_KEY_MISSING',
        'send an API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
      );
    }
    const principal = await this.keys.authenticate(key);
    if (!principal) throw new ApiError(401, 'API_KEY_INVALID', 'the API key is unknown or revoked');
    if (!roles.some((role) => principal.roles.includes(role))) {
      throw new ApiError(403, 'API_KEY_FORBIDDEN', `this API key lacks the ${roles.join(' or ')} role`);
    }
    req.principal = principal;
    return true;
  }
}
