import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { packageVersion } from '../../libs/config/index.js';

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
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}

/** Serves the document at `/openapi.json` and Swagger UI at `/docs`, both on the admin port. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('admin/docs', app, document, {
    jsonDocumentUrl: 'admin/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Tessera API',
  });
}
