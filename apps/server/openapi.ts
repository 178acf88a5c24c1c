import { type INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { packageVersion } from '../../libs/config/index.js';
import { FLOW_OPENAPI_MODELS, FLOW_OPENAPI_SCHEMAS } from '../../libs/flow/index.js';
import { IDENTITY_OPENAPI_SCHEMAS } from '../../libs/identity/index.js';
import { SCHEMA_OPENAPI_SCHEMAS } from '../../libs/schema/index.js';
import {
  UpdateLoginFlowWithPasswordMethod,
  UpdateRegistrationFlowWithPasswordMethod,
} from '../../libs/strategies/password/index.js';

/**
 * The submission bodies of the strategies in strategies.providers.ts, by method; a strategy added
 * there adds its body here.
 */
const LOGIN_BODIES = { password: UpdateLoginFlowWithPasswordMethod };
const REGISTRATION_BODIES = { password: UpdateRegistrationFlowWithPasswordMethod };

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
  updateLoginFlowBody: bodyUnion(LOGIN_BODIES),
  updateRegistrationFlowBody: bodyUnion(REGISTRATION_BODIES),
};

/** The classes only the named schemas point at. */
const EXTRA_MODELS = [
  ...FLOW_OPENAPI_MODELS,
  ...Object.values(LOGIN_BODIES),
  ...Object.values(REGISTRATION_BODIES),
];

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
  };
  return document;
}

/** Serves the document at `/openapi.json` and Swagger UI at `/docs`, both on the admin port. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('admin/docs', app, document, {
    jsonDocumentUrl: 'admin/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Tessera API',
  });
}
