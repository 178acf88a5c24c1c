import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBrowserLocationChangeRequired } from '../../errors/index.js';

/** Documents the flow ID query, as `flowIdParam` reads it: `id` to read a flow, `flow` to submit one. */
export const ApiFlowIdQuery = (name: 'id' | 'flow', kind: string) =>
  ApiQuery({ name, required: true, description: `The ${kind} flow ID.`, schema: { type: 'string' } });

export const ApiReturnToQuery = () =>
  ApiQuery({
    name: 'return_to',
    required: false,
    description: 'Where to send the browser once the flow is completed; it must be an allowed return URL.',
    schema: { type: 'string' },
  });

/**
 * A parameter of the contract for a feature Tessera does not have (OAuth2 login challenges,
 * organizations, code delivery, session token exchange): listed so clients see the same
 * operation, and ignored when sent.
 */
export const ApiIgnoredQuery = (name: string, type: 'string' | 'boolean', feature: string) =>
  ApiQuery({
    name,
    required: false,
    description: `Ignored: ${feature} are not supported.`,
    schema: { type },
  });

/** `return_session_token_exchange_code` of the native login and registration flows. */
export const ApiSessionTokenExchangeQuery = () =>
  ApiQuery({
    name: 'return_session_token_exchange_code',
    required: false,
    description:
      'Include `session_token_exchange_code` in the new flow: the app keeps it and, after a social ' +
      'sign-in in the system browser, exchanges it with the `code` given to `return_to` for the ' +
      'session token (`GET /sessions/token-exchange`).',
    schema: { type: 'boolean' },
  });

/** The 303 a browser gets, to the flow's UI or, once done, to its return URL. */
export const ApiSeeOtherResponse = (description: string) => ApiResponse({ status: 303, description });

/**
 * The body of a flow submission, by the contract's name of its union. The union of the enabled
 * strategies' bodies is added to the document by the application, which knows the strategies.
 */
export const ApiFlowSubmissionBody = (schemaName: string) =>
  applyDecorators(
    ApiConsumes('application/json', 'application/x-www-form-urlencoded'),
    ApiBody({ schema: { $ref: getSchemaPath(schemaName) } }),
  );

/** 422 as the contract lists it for submissions; no strategy served so far needs it. */
export const ApiBrowserLocationChangeResponse = () =>
  ApiResponse({
    status: 422,
    type: ErrorBrowserLocationChangeRequired,
    description: 'errorBrowserLocationChangeRequired: not sent by the methods served so far.',
  });
