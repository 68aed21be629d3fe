import { Catch, type ExceptionFilter } from '@nestjs/common';
import { GraphQLError } from 'graphql';

/**
 * GraphQLErrors are answers, not faults: a resolver throws one to tell the client what was wrong
 * (BAD_USER_INPUT, NOT_FOUND, FORBIDDEN…). Without this filter Nest's external exception handler
 * logged each at error level with its stack, so a client hammering bad input flooded the log and
 * hid real faults. Returning the error hands it to graphql-js unchanged (Nest's documented
 * GqlExceptionFilter pattern); pino-http still logs the request once, and anything that is not a
 * GraphQLError (a real fault) still reaches Nest's handler and formatError's log line.
 */
@Catch(GraphQLError)
export class GraphqlErrorFilter implements ExceptionFilter {
  catch(error: GraphQLError): GraphQLError {
    return error;
  }
}
