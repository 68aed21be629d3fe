import type { ApiKeyRole } from '@catalens/db';
import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'catalens:roles';
/** Any one of these roles lets the key through; the key's tenant scopes everything it reads. */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES_KEY, roles);
