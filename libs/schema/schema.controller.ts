import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IdentitySchemaRegistry } from './identity-schema.registry.js';
import { type JsonObject, type LoadedIdentitySchema } from './identity-schema.types.js';
import { decodeSchemaId } from './schema-id.js';
import { paginationLinkHeader, parsePageRequest } from './schema-pagination.js';

/** Wire shape of `identitySchemaContainer`. */
export interface IdentitySchemaContainer {
  id: string;
  schema: JsonObject;
}

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
  @ApiOkResponse({
    description: 'List Identity JSON Schemas Response',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'schema'],
        properties: { id: { type: 'string' }, schema: { type: 'object' } },
      },
    },
  })
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
  @ApiOkResponse({ description: 'identitySchema', schema: { type: 'object' } })
  @ApiNotFoundResponse({ description: 'errorGeneric' })
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
