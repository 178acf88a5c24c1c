import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { packageVersion } from '../config/index.js';
import { notMigratedReason, pendingMigrations, pingDatabase } from '../persistence/index.js';
import { HealthStatus, NOT_READY_SCHEMA, VERSION_SCHEMA } from './health.response.dto.js';
import { ShutdownState } from './shutdown-state.js';

type Readiness = { status: 'ok' } | { errors: Record<string, string> };

/**
 * Ready when the database answers and its schema is this version's: a schema that went missing
 * (or was restored from an old backup) is named here rather than as a 500 on every request.
 */
async function readiness(
  dataSource: DataSource,
  shutdown: ShutdownState,
  reveal: boolean,
): Promise<Readiness> {
  // A load balancer stops sending new requests here while the in-flight ones finish.
  if (shutdown.shuttingDown) return { errors: { server: 'shutting down' } };
  let problem: string | undefined;
  try {
    await pingDatabase(dataSource);
    const pending = await pendingMigrations(dataSource);
    if (pending.length > 0) problem = notMigratedReason(pending.length);
  } catch (error) {
    problem = (error as Error).message;
  }
  return problem === undefined ? { status: 'ok' } : { errors: { database: reveal ? problem : 'not ready' } };
}

function sendReadiness(res: Response, result: Readiness): Readiness {
  res.status('status' in result ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
  return result;
}

/** Liveness, readiness and version on the public port (readiness hides its reasons here). */
@ApiTags('metadata')
@Controller()
export class PublicHealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ShutdownState) private readonly shutdown: ShutdownState,
  ) {}

  @Get('health/alive')
  @ApiOperation({ operationId: 'isAlive', summary: 'Check HTTP Server Status' })
  @ApiOkResponse({ type: HealthStatus, description: 'The server is ready to accept connections.' })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({ operationId: 'isReady', summary: 'Check HTTP Server and Database Status' })
  @ApiOkResponse({ type: HealthStatus, description: 'The server is ready to accept requests.' })
  @ApiServiceUnavailableResponse({
    schema: NOT_READY_SCHEMA,
    description: 'The server is not yet ready to accept requests.',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    return sendReadiness(res, await readiness(this.dataSource, this.shutdown, false));
  }

  @Get('version')
  @ApiOperation({ operationId: 'getVersion', summary: 'Return Running Software Version.' })
  @ApiOkResponse({ schema: VERSION_SCHEMA, description: 'Returns the running version.' })
  version(): { version: string } {
    return { version: packageVersion() };
  }
}

/** The same checks on the admin port, where the readiness reason is shown. */
@Controller('admin')
export class AdminHealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ShutdownState) private readonly shutdown: ShutdownState,
  ) {}

  @Get('health/alive')
  @ApiExcludeEndpoint()
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiExcludeEndpoint()
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    return sendReadiness(res, await readiness(this.dataSource, this.shutdown, true));
  }

  @Get('version')
  @ApiExcludeEndpoint()
  version(): { version: string } {
    return { version: packageVersion() };
  }
}
