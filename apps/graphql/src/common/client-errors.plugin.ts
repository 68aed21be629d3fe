import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { findTextFault as findValueFault, textFault } from '@catalens/contracts';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, visit } from 'graphql';
import { CLIENT_CODES } from './api-errors';

/**
 * The rule "no client input produces a 5xx", kept at the one place every answer passes.
 *
 * - A response whose errors are all client errors (parse, validation, bad input, auth) and that
 *   carries no data is sent with HTTP 400 (401/403 kept when Apollo set them). Apollo already does
 *   this for its own parse and validation errors, but not for errors raised by plugins, and a
 *   plugin-raised refusal used to leave as 500.
 * - Text from the client (variables and string literals) with U+0000 or lone UTF-16 surrogates is
 *   refused before execution, naming the variable or argument: PostgreSQL cannot store U+0000,
 *   and a lone surrogate would be stored as U+FFFD without anyone noticing.
 */
export function clientErrorsPlugin(): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: (context) => {
          const fault = findTextFault(context.document, context.request.variables ?? {});
          if (!fault) return Promise.resolve();
          return Promise.reject(
            new GraphQLError(fault.message, {
              extensions: { code: 'BAD_USER_INPUT', field: fault.field, http: { status: 400 } },
            }),
          );
        },
        willSendResponse: (context) => {
          setClientStatus(context);
          return Promise.resolve();
        },
      }),
  };
}

function setClientStatus(context: GraphQLRequestContext<object>): void {
  const { body, http } = context.response;
  if (body?.kind !== 'single') return;
  const { errors, data } = body.singleResult;
  if (!errors?.length || data !== undefined) return;
  const status = http.status ?? 200;
  if (status >= 400 && status < 500) return;
  if (errors.every(isClientError)) http.status = 400;
}

/** A client's mistake; SERVICE_UNAVAILABLE is ours, and keeps whatever status it was given. */
const isClientError = (error: GraphQLFormattedError): boolean => {
  const code = error.extensions?.code;
  return typeof code === 'string' && code !== 'SERVICE_UNAVAILABLE' && CLIENT_CODES.has(code);
};

/** The first variable or string literal whose text cannot be accepted, named as the client wrote it. */
function findTextFault(
  document: DocumentNode,
  variables: Record<string, unknown>,
): { field: string; message: string } | undefined {
  const inVariables = findValueFault(variables);
  if (inVariables) {
    const [name, ...rest] = inVariables.path;
    const field = `$${name}${rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
    return { field, message: `${field}: ${inVariables.message}` };
  }
  let found: { field: string; message: string } | undefined;
  let argument = '(document)';
  visit(document, {
    Argument: { enter: (node) => void (argument = node.name.value) },
    StringValue(node) {
      const fault = found ? undefined : textFault(node.value);
      if (fault) found = { field: argument, message: `${argument}: ${fault}` };
    },
  });
  return found;
}
