import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { packageVersion } from '../../libs/config/index.js';
import { IDENTITY_OPENAPI_SCHEMAS } from '../../libs/identity/index.js';
import { SCHEMA_OPENAPI_SCHEMAS } from '../../libs/schema/index.js';

/** Named component schemas that are not classes (arrays, raw JSON Schema), by the contract's names. */
const NAMED_SCHEMAS = { ...IDENTITY_OPENAPI_SCHEMAS, ...SCHEMA_OPENAPI_SCHEMAS };

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
