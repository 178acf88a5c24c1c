import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../../errors/index.js';
import { isUuid } from '../../persistence/index.js';
import { FlowErrorRepository } from '../core/index.js';

/** The error UI reads what went wrong for the browser it sent there. */
@ApiTags('frontend')
@Controller('self-service/errors')
export class FlowErrorController {
  constructor(private readonly errors: FlowErrorRepository) {}

  @Get()
  @ApiOperation({ operationId: 'getFlowError', summary: 'Get User-Flow Errors' })
  async get(@Query('id') id: string | undefined) {
    if (!isUuid(id)) throw new ApiError(404, { reason: 'The error could not be found.' });
    const found = await this.errors.read(id);
    if (!found) throw new ApiError(404, { reason: 'The error could not be found.' });
    return {
      id: found.id,
      error: found.error,
      created_at: found.createdAt.toISOString(),
      updated_at: found.updatedAt.toISOString(),
    };
  }
}
