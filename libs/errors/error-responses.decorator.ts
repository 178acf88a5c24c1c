import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorGeneric } from './error.response.dto.js';

/**
 * Documents the error envelope for the statuses an operation names in the contract, and as its
 * `default` response: any status may carry it, since every failure goes through one filter.
 */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 'default' as const].map((status) =>
      ApiResponse({ status, type: ErrorGeneric, description: 'errorGeneric' }),
    ),
  );
}
