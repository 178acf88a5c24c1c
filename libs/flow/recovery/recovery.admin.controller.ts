import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../errors/index.js';
import { ApiReturnToQuery } from '../core/index.js';
import { RecoveryAdminService } from './recovery-admin.service.js';
import {
  CreateRecoveryCodeForIdentityBody,
  CreateRecoveryLinkForIdentityBody,
  RecoveryCodeForIdentity,
  RecoveryLinkForIdentity,
} from './recovery-flow.response.dto.js';

/** Recovery codes and links an administrator creates for an identity. */
@ApiTags('identity')
@Controller('admin/recovery')
export class RecoveryAdminController {
  constructor(private readonly admin: RecoveryAdminService) {}

  @Post('code')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createRecoveryCodeForIdentity', summary: 'Create a Recovery Code' })
  @ApiBody({ type: CreateRecoveryCodeForIdentityBody })
  @ApiCreatedResponse({ type: RecoveryCodeForIdentity, description: 'recoveryCodeForIdentity' })
  @ApiErrorResponses(400, 404)
  code(@Body() body: unknown) {
    return this.admin.code(body);
  }

  @Post('link')
  @HttpCode(200)
  @ApiOperation({ operationId: 'createRecoveryLinkForIdentity', summary: 'Create a Recovery Link' })
  @ApiReturnToQuery()
  @ApiBody({ type: CreateRecoveryLinkForIdentityBody })
  @ApiOkResponse({ type: RecoveryLinkForIdentity, description: 'recoveryLinkForIdentity' })
  @ApiErrorResponses(400, 404)
  link(@Body() body: unknown, @Query('return_to') returnTo?: string) {
    return this.admin.link(body, returnTo);
  }
}
