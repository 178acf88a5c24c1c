import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { packageVersion } from '../config/index.js';
import { pingDatabase } from '../persistence/index.js';

type Readiness = { status: 'ok' } | { errors: Record<string, string> };

async function readiness(dataSource: DataSource, reveal: boolean): Promise<Readiness> {
  try {
    await pingDatabase(dataSource);
    return { status: 'ok' };
  } catch (error) {
    return { errors: { database: reveal ? (error as Error).message : 'not ready' } };
  }
}

function sendReadiness(res: Response, result: Readiness): Readiness {
  res.status('status' in result ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
  return result;
}

/** Liveness, readiness and version on the public port (readiness hides its reasons here). */
@ApiTags('metadata')
@Controller()
export class PublicHealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('health/alive')
  @ApiOperation({ operationId: 'isAlive', summary: 'Check HTTP Server Status' })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({ operationId: 'isReady', summary: 'Check HTTP Server and Database Status' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    return sendReadiness(res, await readiness(this.dataSource, false));
  }

  @Get('version')
  @ApiOperation({ operationId: 'getVersion', summary: 'Return Running Software Version.' })
  version(): { version: string } {
    return { version: packageVersion() };
  }
}

/** The same checks on the admin port, where the readiness reason is shown. */
@Controller('admin')
export class AdminHealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('health/alive')
  @ApiExcludeEndpoint()
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiExcludeEndpoint()
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    return sendReadiness(res, await readiness(this.dataSource, true));
  }

  @Get('version')
  @ApiExcludeEndpoint()
  version(): { version: string } {
    return { version: packageVersion() };
  }
}
