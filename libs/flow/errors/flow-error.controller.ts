import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { isUuid } from '../../persistence/index.js';
import { FlowErrorRepository } from '../core/index.js';
import { FlowError } from './flow-error.response.dto.js';

/** The error UI reads what went wrong for the browser it sent there. */
@ApiTags('frontend')
@Controller('self-service/errors')
export class FlowErrorController {
  constructor(private readonly errors: FlowErrorRepository) {}

  @Get()
  @ApiOperation({ operationId: 'getFlowError', summary: 'Get User-Flow Errors' })
  @ApiQuery({
    name: 'id',
    required: true,
    description: 'The error ID, from the `id` query the error UI was opened with.',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: FlowError, description: 'flowError' })
  @ApiErrorResponses(403, 404, 500)
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
