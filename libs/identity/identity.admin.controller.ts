import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ConfigService } from '../config/index.js';
import { ApiErrorResponses, parseBody } from '../errors/index.js';
import { assertQueryText, isUuid } from '../persistence/index.js';
import { CredentialsType } from './credential.entity.js';
import { CreateIdentityBody, UpdateIdentityBody } from './identity.dto.js';
import { IdentityNotFoundError } from './identity.errors.js';
import { createInput, updateInput } from './identity-input.mapper.js';
import {
  ApiIncludeCredentialQuery,
  IDENTIFIER_LENGTH,
  parseIncludeCredential,
} from './identity-list.query.js';
import { JsonPatch } from './identity-patch.dto.js';
import { patchToInput } from './identity-patch.js';
import { IdentityPresenter } from './identity.presenter.js';
import { Identity } from './identity.response.dto.js';
import { IdentityService } from './identity.service.js';

type Query = Record<string, string | string[] | undefined>;

const ID = { name: 'id', description: "The identity's ID.", schema: { type: 'string' } } as const;
const EMPTY = 'Empty responses are sent when, for example, resources are deleted.';

function knownId(id: string): string {
  if (!isUuid(id)) throw new IdentityNotFoundError();
  return id;
}

/** The admin identity API: one identity at a time. */
@ApiTags('identity')
@Controller('admin/identities')
export class IdentityAdminController {
  constructor(
    private readonly identities: IdentityService,
    private readonly presenter: IdentityPresenter,
    private readonly config: ConfigService,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createIdentity', summary: 'Create an Identity' })
  @ApiBody({ type: CreateIdentityBody })
  @ApiCreatedResponse({ type: Identity, description: 'identity' })
  @ApiErrorResponses(400, 409)
  async create(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const identity = await this.identities.create(createInput(parseBody(CreateIdentityBody, body)));
    res.status(201).setHeader('Location', this.config.url('admin', `admin/identities/${identity.id}`));
    return this.presenter.present(identity, { admin: true });
  }

  @Get('by/external/:externalID')
  @ApiOperation({ operationId: 'getIdentityByExternalID', summary: 'Get an Identity by its External ID' })
  @ApiParam({
    name: 'externalID',
    description: 'The external ID of the identity.',
    schema: { type: 'string' },
  })
  @ApiIncludeCredentialQuery()
  @ApiOkResponse({ type: Identity, description: 'identity' })
  @ApiErrorResponses(404)
  async getByExternalId(@Param('externalID') externalId: string, @Query() query: Query) {
    const include = parseIncludeCredential(query);
    assertQueryText('externalID', externalId, IDENTIFIER_LENGTH);
    const identity = await this.identities.getByExternalId(externalId);
    return this.presenter.present(identity, { admin: true, includeCredentials: include });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getIdentity', summary: 'Get an Identity' })
  @ApiParam(ID)
  @ApiIncludeCredentialQuery()
  @ApiOkResponse({ type: Identity, description: 'identity' })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string, @Query() query: Query) {
    const include = parseIncludeCredential(query);
    const identity = await this.identities.get(knownId(id));
    return this.presenter.present(identity, { admin: true, includeCredentials: include });
  }

  @Put(':id')
  @ApiOperation({ operationId: 'updateIdentity', summary: 'Update an Identity' })
  @ApiParam(ID)
  @ApiBody({ type: UpdateIdentityBody })
  @ApiOkResponse({ type: Identity, description: 'identity' })
  @ApiErrorResponses(400, 404, 409)
  async update(@Param('id') id: string, @Body() body: unknown) {
    const input = updateInput(parseBody(UpdateIdentityBody, body));
    const identity = await this.identities.update(knownId(id), input);
    return this.presenter.present(identity, { admin: true });
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'patchIdentity', summary: 'Patch an Identity' })
  @ApiParam(ID)
  @ApiExtraModels(JsonPatch)
  @ApiBody({ schema: { $ref: getSchemaPath('jsonPatchDocument') } })
  @ApiOkResponse({ type: Identity, description: 'identity' })
  @ApiErrorResponses(400, 404, 409)
  async patch(@Param('id') id: string, @Body() body: unknown) {
    const current = await this.identities.get(knownId(id));
    const input = patchToInput(this.presenter.present(current, { admin: true }), body);
    const identity = await this.identities.update(current.id, input);
    return this.presenter.present(identity, { admin: true });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteIdentity', summary: 'Delete an Identity' })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: EMPTY })
  @ApiErrorResponses(404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.identities.delete(knownId(id));
  }

  @Delete(':id/credentials/:type')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteIdentityCredentials',
    summary: 'Delete a credential for a specific identity',
  })
  @ApiParam(ID)
  @ApiParam({
    name: 'type',
    description: 'The type of credentials to delete; types that cannot be deleted answer 400.',
    schema: { type: 'string', enum: Object.values(CredentialsType) },
  })
  @ApiQuery({
    name: 'identifier',
    required: false,
    description: 'The `provider:subject` of the OIDC/SAML credential to delete.',
    schema: { type: 'string' },
  })
  @ApiNoContentResponse({ description: EMPTY })
  @ApiErrorResponses(404)
  async deleteCredentials(
    @Param('id') id: string,
    @Param('type') type: string,
    @Query() query: Query,
  ): Promise<void> {
    const identifier = Array.isArray(query['identifier']) ? query['identifier'][0] : query['identifier'];
    await this.identities.deleteCredentials(knownId(id), type, identifier);
  }
}
