import type { ApiKeyPrincipal } from '@catalens/db';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import type { RequestLoaders } from '../items/item-loaders';

/** What every resolver gets: the HTTP request, the caller (after the guard), per-request loaders. */
export interface RequestContext {
  req: Request;
  principal?: ApiKeyPrincipal;
  loaders: RequestLoaders;
}

/** The authenticated caller; resolvers behind `@Roles` always have one. */
export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ApiKeyPrincipal =>
    GqlExecutionContext.create(context).getContext<RequestContext>().principal!,
);
