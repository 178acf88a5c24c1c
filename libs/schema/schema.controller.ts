import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../errors/index.js';
import { IdentitySchemaRegistry } from './identity-schema.registry.js';
import { type JsonObject, type LoadedIdentitySchema } from './identity-schema.types.js';
import { decodeSchemaId } from './schema-id.js';
import { paginationLinkHeader, parsePageRequest } from './schema-pagination.js';
import { IdentitySchemaContainer } from './schema.response.dto.js';

const DEPRECATED =
  'DEPRECATED: Please use `page_token` instead. This parameter will be removed in the future.';

/** Public `GET /schemas` and `GET /schemas/{id}`. */
@ApiTags('identity')
@Controller()
export class SchemaController {
  constructor(private readonly registry: IdentitySchemaRegistry) {}

  @Get('schemas')
  @ApiOperation({
    operationId: 'listIdentitySchemas',
    summary: 'Get all Identity Schemas',
    description: 'Returns a list of all identity schemas currently in use.',
  })
  @ApiQuery({
    name: 'per_page',
    required: false,
    description: `Deprecated Items per Page\n\n${DEPRECATED}`,
    schema: { type: 'integer', format: 'int64', default: 250, minimum: 1, maximum: 1000 },
  })
  @ApiQuery({
    name: 'page',
    required: false,
    description: `Deprecated Pagination Page\n\n${DEPRECATED}`,
    schema: { type: 'integer', format: 'int64' },
  })
  @ApiQuery({
    name: 'page_size',
    required: false,
    description: 'Page Size',
    schema: { type: 'integer', format: 'int64', default: 250, minimum: 1, maximum: 500 },
  })
  @ApiQuery({
    name: 'page_token',
    required: false,
    description: 'Next Page Token',
    schema: { type: 'string' },
  })
  @ApiExtraModels(IdentitySchemaContainer)
  @ApiOkResponse({
    description: 'List Identity JSON Schemas Response',
    schema: { $ref: getSchemaPath('identitySchemas') },
  })
  @ApiErrorResponses()
  listIdentitySchemas(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): IdentitySchemaContainer[] {
    const { page, perPage } = parsePageRequest(query);
    const schemas = this.registry.list();
    response.setHeader('Link', paginationLinkHeader(request.originalUrl, schemas.length, page, perPage));
    response.setHeader('X-Total-Count', String(schemas.length));
    const offset = page * perPage;
    return schemas.slice(offset, offset + perPage).map((s) => ({ id: s.id, schema: s.raw }));
  }

  @Get('schemas/:id')
  @ApiOperation({
    operationId: 'getIdentitySchema',
    summary: 'Get Identity JSON Schema',
    description: 'Return a specific identity schema.',
  })
  @ApiParam({
    name: 'id',
    description: 'ID must be set to the ID of schema you want to get',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ description: 'identitySchema', schema: { $ref: getSchemaPath('identitySchema') } })
  @ApiErrorResponses(404)
  getIdentitySchema(@Param('id') id: string): JsonObject {
    return this.lookup(id).raw;
  }

  // identity.schema_url uses base64url(id); the raw id keeps working for older clients.
  private lookup(id: string): LoadedIdentitySchema {
    const direct = this.registry.find(id);
    if (direct) return direct;
    const decoded = decodeSchemaId(id);
    const schema = decoded === undefined ? undefined : this.registry.find(decoded);
    if (!schema) throw new NotFoundException(`Identity schema \`${decoded ?? id}\` could not be found.`);
    return schema;
  }
}
