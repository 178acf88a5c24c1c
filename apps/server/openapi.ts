import { type INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { OPEN_ADMIN_ROUTES } from '../../libs/admin-auth/index.js';
import { packageVersion } from '../../libs/config/index.js';
import {
  FLOW_OPENAPI_MODELS,
  FLOW_OPENAPI_SCHEMAS,
  UpdateRecoveryFlowWithCodeMethod,
  UpdateRecoveryFlowWithLinkMethod,
  UpdateVerificationFlowWithCodeMethod,
  UpdateVerificationFlowWithLinkMethod,
} from '../../libs/flow/index.js';
import { IDENTITY_OPENAPI_SCHEMAS } from '../../libs/identity/index.js';
import { SCHEMA_OPENAPI_SCHEMAS } from '../../libs/schema/index.js';
import {
  UpdateLoginFlowWithPasswordMethod,
  UpdateRegistrationFlowWithPasswordMethod,
  UpdateSettingsFlowWithPasswordMethod,
} from '../../libs/strategies/password/index.js';
import {
  UpdateLoginFlowWithPasskeyMethod,
  UpdateLoginFlowWithWebAuthnMethod,
  UpdateRegistrationFlowWithPasskeyMethod,
  UpdateSettingsFlowWithPasskeyMethod,
  UpdateSettingsFlowWithWebAuthnMethod,
  WEBAUTHN_OPENAPI_SCHEMAS,
} from '../../libs/strategies/webauthn/index.js';
import {
  UpdateLoginFlowWithLookupSecretMethod,
  UpdateSettingsFlowWithLookupMethod,
} from '../../libs/strategies/lookup-secret/index.js';
import {
  UpdateLoginFlowWithTotpMethod,
  UpdateSettingsFlowWithTotpMethod,
} from '../../libs/strategies/totp/index.js';
import {
  UpdateRegistrationFlowWithProfileMethod,
  UpdateSettingsFlowWithProfileMethod,
} from '../../libs/strategies/profile/index.js';
import {
  UpdateLoginFlowWithCodeMethod,
  UpdateRegistrationFlowWithCodeMethod,
} from '../../libs/strategies/code/index.js';

/**
 * The submission bodies of the strategies in strategies.providers.ts, by method; a strategy added
 * there adds its body here.
 */
const LOGIN_BODIES = {
  password: UpdateLoginFlowWithPasswordMethod,
  code: UpdateLoginFlowWithCodeMethod,
  totp: UpdateLoginFlowWithTotpMethod,
  lookup_secret: UpdateLoginFlowWithLookupSecretMethod,
  webauthn: UpdateLoginFlowWithWebAuthnMethod,
  passkey: UpdateLoginFlowWithPasskeyMethod,
};
const REGISTRATION_BODIES = {
  password: UpdateRegistrationFlowWithPasswordMethod,
  code: UpdateRegistrationFlowWithCodeMethod,
  passkey: UpdateRegistrationFlowWithPasskeyMethod,
  profile: UpdateRegistrationFlowWithProfileMethod,
};
const RECOVERY_BODIES = { link: UpdateRecoveryFlowWithLinkMethod, code: UpdateRecoveryFlowWithCodeMethod };
const VERIFICATION_BODIES = {
  link: UpdateVerificationFlowWithLinkMethod,
  code: UpdateVerificationFlowWithCodeMethod,
};
const SETTINGS_BODIES = {
  profile: UpdateSettingsFlowWithProfileMethod,
  password: UpdateSettingsFlowWithPasswordMethod,
  totp: UpdateSettingsFlowWithTotpMethod,
  lookup_secret: UpdateSettingsFlowWithLookupMethod,
  webauthn: UpdateSettingsFlowWithWebAuthnMethod,
  passkey: UpdateSettingsFlowWithPasskeyMethod,
};

/** A submission body of the contract: one of the methods' bodies, told apart by `method`. */
function bodyUnion(bodies: Record<string, new () => object>): SchemaObject {
  const refs = Object.entries(bodies).map(([method, body]) => [method, getSchemaPath(body)] as const);
  return {
    oneOf: refs.map(([, $ref]) => ({ $ref })),
    discriminator: { propertyName: 'method', mapping: Object.fromEntries(refs) },
  };
}

/** Named component schemas that are not classes (arrays, unions, raw JSON Schema), by contract name. */
const NAMED_SCHEMAS = {
  ...IDENTITY_OPENAPI_SCHEMAS,
  ...SCHEMA_OPENAPI_SCHEMAS,
  ...FLOW_OPENAPI_SCHEMAS,
  ...WEBAUTHN_OPENAPI_SCHEMAS,
  updateLoginFlowBody: bodyUnion(LOGIN_BODIES),
  updateRegistrationFlowBody: bodyUnion(REGISTRATION_BODIES),
  updateSettingsFlowBody: bodyUnion(SETTINGS_BODIES),
  updateRecoveryFlowBody: bodyUnion(RECOVERY_BODIES),
  updateVerificationFlowBody: bodyUnion(VERIFICATION_BODIES),
};

/** The classes only the named schemas point at. */
const EXTRA_MODELS = [
  ...FLOW_OPENAPI_MODELS,
  ...Object.values(LOGIN_BODIES),
  ...Object.values(REGISTRATION_BODIES),
  ...Object.values(SETTINGS_BODIES),
  ...Object.values(RECOVERY_BODIES),
  ...Object.values(VERIFICATION_BODIES),
];

/**
 * Admin operations name the contract's `oryAccessToken` scheme, as Kratos' document does: the
 * whole Authorization header, `Bearer <key>` when `serve.admin.api_keys` is set. Swagger UI's
 * "Authorize" then sends it with every admin call.
 */
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

function requireAdminKeyIn(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/admin/') || OPEN_ADMIN_ROUTES.has(path)) continue;
    for (const operation of Object.values(item as Record<string, OperationObject>)) {
      if (typeof operation === 'object' && operation && 'responses' in operation)
        operation.security = [{ oryAccessToken: [] }];
    }
  }
}

/** One OpenAPI document for the public and the admin API, as Kratos publishes one. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera')
    .setDescription(
      'Headless identity and user management, wire-compatible with the Ory Kratos v26.2 API. ' +
        'Paths under /admin are served on the admin port only.',
    )
    .setVersion(packageVersion())
    .setLicense('Apache 2.0', 'https://www.apache.org/licenses/LICENSE-2.0.html')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
    extraModels: EXTRA_MODELS,
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...NAMED_SCHEMAS },
    securitySchemes: { oryAccessToken: { type: 'apiKey', in: 'header', name: 'Authorization' } },
  };
  requireAdminKeyIn(document);
  return document;
}

/**
 * Serves the document at `/openapi.json` and Swagger UI at `/docs`, both on the admin port. It is
 * built on its first request (about 75 ms less start-up), then kept.
 */
export function serveOpenApi(app: INestApplication, document: () => OpenAPIObject): void {
  SwaggerModule.setup('admin/docs', app, document, {
    jsonDocumentUrl: 'admin/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Tessera API',
  });
}
