import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MAX_DURATION_MS, parseDuration } from '../../config/index.js';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { ApiReturnToQuery } from '../core/index.js';
import { RecoveryAdminService } from './recovery-admin.service.js';
import {
  CreateRecoveryCodeForIdentityBody,
  CreateRecoveryLinkForIdentityBody,
  RecoveryCodeForIdentity,
  RecoveryLinkForIdentity,
} from './recovery-flow.response.dto.js';

const MAX_HOURS = Math.floor(MAX_DURATION_MS / 3_600_000);

/**
 * `expires_in` past the longest duration there is (Go's, as in Kratos) gets a reason that names
 * the bound; the service reports every other malformed duration.
 */
function checkExpiresIn(body: unknown): void {
  const value = (body as { expires_in?: unknown } | null)?.expires_in;
  if (typeof value !== 'string') return;
  try {
    parseDuration(value);
  } catch (error) {
    if (/out of range/.test((error as Error).message)) {
      throw new ApiError(400, { reason: `expires_in must be at most ${MAX_HOURS}h.` });
    }
  }
}

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
    checkExpiresIn(body);
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
    checkExpiresIn(body);
    return this.admin.link(body, returnTo);
  }
}
