import { SetMetadata } from '@nestjs/common';
import type { ApiKeyCheck } from './check-api-key';
import type { ApiKeyRole } from './api-key-secret';

/** Metadata key of `Roles`; guards read it with `Reflector.getAllAndOverride` (handler first). */
export const ROLES_KEY = 'catalens:roles';

/** The route or resolver needs an API key holding at least one of these roles. */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES_KEY, roles);

/** HTTP status and code of a failed key check, the same on every REST route. */
export const REST_AUTH_ERRORS: Record<
  Extract<ApiKeyCheck, { problem: string }>['problem'],
  { status: 401 | 403; code: string }
> = {
  missing: { status: 401, code: 'API_KEY_MISSING' },
  invalid: { status: 401, code: 'API_KEY_INVALID' },
  forbidden: { status: 403, code: 'API_KEY_FORBIDDEN' },
};
