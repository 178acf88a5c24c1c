import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';

/**
 * `GET /metrics/prometheus` on the admin port, as Kratos serves it (the admin listener adds the
 * `/admin` prefix). Not part of the Kratos API contract, so not in the OpenAPI document.
 */
@ApiExcludeController()
@Controller('admin/metrics')
export class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  @Get('prometheus')
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.registry.metrics();
    res.status(200).type(this.registry.contentType).send(body);
  }
}
