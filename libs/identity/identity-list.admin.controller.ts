import { Body, Controller, Get, Patch, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../errors/index.js';
import { batchCreate } from './identity-batch.js';
import {
  ApiListIdentitiesQuery,
  keysetLinkHeader,
  parseIncludeCredential,
  parseListQuery,
} from './identity-list.query.js';
import { PatchIdentitiesBody } from './identity-patch.dto.js';
import { IdentityPresenter } from './identity.presenter.js';
import { BatchPatchIdentitiesResponse, Identity } from './identity.response.dto.js';
import { IdentityService } from './identity.service.js';

type Query = Record<string, string | string[] | undefined>;

/** The admin identity API over many identities: list pages and batch creation. */
@ApiTags('identity')
@Controller('admin/identities')
export class IdentityListAdminController {
  constructor(
    private readonly identities: IdentityService,
    private readonly presenter: IdentityPresenter,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listIdentities', summary: 'List Identities' })
  @ApiListIdentitiesQuery()
  @ApiOkResponse({ type: [Identity], description: 'Paginated Identity List Response' })
  @ApiErrorResponses()
  async list(@Query() query: Query, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const include = parseIncludeCredential(query);
    const parsed = parseListQuery(query);
    const { identities, total } = await this.identities.list(parsed);
    if (parsed.page !== undefined) {
      res.setHeader('X-Total-Count', String(total ?? 0));
    } else {
      const last = identities.length === parsed.pageSize ? identities.at(-1)?.id : undefined;
      res.setHeader('Link', keysetLinkHeader(req.path, query, parsed.pageSize, last));
    }
    return identities.map((identity) =>
      this.presenter.present(identity, { admin: true, includeCredentials: include }),
    );
  }

  @Patch()
  @ApiOperation({ operationId: 'batchPatchIdentities', summary: 'Create multiple identities' })
  @ApiBody({ type: PatchIdentitiesBody })
  @ApiOkResponse({ type: BatchPatchIdentitiesResponse, description: 'batchPatchIdentitiesResponse' })
  @ApiErrorResponses(400, 409)
  batch(@Body() body: unknown) {
    return batchCreate(this.identities, body);
  }
}
