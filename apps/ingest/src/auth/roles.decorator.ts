import { SetMetadata } from '@nestjs/common';
import type { ApiKeyRole } from '@catalens/db';

export const ROLES_KEY = 'catalens:roles';
/** The route needs an API key holding at least one of these roles. */
export const RequireRole = (...roles: ApiKeyRole[]) => SetMetadata(ROLES_KEY, roles);
