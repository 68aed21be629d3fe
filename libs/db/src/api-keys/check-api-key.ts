import type { ApiKeyPrincipal, ApiKeyRepository } from '../repositories/api-key.repository';
import type { ApiKeyRole } from './api-key-secret';

export type ApiKeyCheck =
  { principal: ApiKeyPrincipal } | { problem: 'missing' | 'invalid' | 'forbidden'; message: string };

/**
 * The key from `Authorization: Bearer <key>` or `X-Api-Key`, authenticated and checked for any of
 * `roles`. Each transport (REST, GraphQL) maps the problem to its own error shape.
 */
export async function checkApiKey(
  keys: ApiKeyRepository,
  headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined },
  roles: readonly ApiKeyRole[],
): Promise<ApiKeyCheck> {
  const header = headers.authorization;
  const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : headers['x-api-key'];
  if (typeof key !== 'string' || key === '')
    return {
      problem: 'missing',
      message: 'send an API key as "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
    };
  const principal = await keys.authenticate(key);
  if (!principal) return { problem: 'invalid', message: 'the API key is unknown or revoked' };
  if (!roles.some((role) => principal.roles.includes(role)))
    return { problem: 'forbidden', message: `this API key lacks the ${roles.join(' or ')} role` };
  return { principal };
}
