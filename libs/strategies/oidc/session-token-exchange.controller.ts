import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { SuccessfulNativeLogin } from '../../flow/index.js';
import { SessionPresenter, SessionService, SessionTokenExchanges } from '../../session/index.js';

type Query = Record<string, unknown>;

/** The first value of a query parameter, when it is a string (not `a[b]=` or missing). */
function single(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * The last step of a native app's social sign-in (public port): the app presents the init code of
 * its flow and the code its `return_to` received, and gets the session token, once.
 */
@ApiTags('frontend')
@Controller('sessions')
export class SessionTokenExchangeController {
  constructor(
    private readonly exchanges: SessionTokenExchanges,
    private readonly sessions: SessionService,
    private readonly presenter: SessionPresenter,
  ) {}

  @Get('token-exchange')
  @ApiOperation({ operationId: 'exchangeSessionToken', summary: 'Exchange Session Token' })
  @ApiQuery({
    name: 'init_code',
    required: true,
    description: 'The part of the code return when initializing the flow.',
    schema: { type: 'string' },
  })
  @ApiQuery({
    name: 'return_to_code',
    required: true,
    description: 'The part of the code returned by the return_to URL.',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: SuccessfulNativeLogin, description: 'successfulNativeLogin' })
  @ApiErrorResponses(403, 404, 410)
  async exchange(@Query() query: Query) {
    const initCode = single(query['init_code']);
    const returnToCode = single(query['return_to_code']);
    if (!initCode || !returnToCode) {
      throw new ApiError(400, { reason: 'init_code and return_to_code query params must be set' });
    }
    const token = await this.exchanges.redeem(initCode, returnToCode);
    const session = token ? await this.sessions.findActive(token) : null;
    if (!token || !session) throw new ApiError(404, { reason: 'no session yet for this "code"' });
    return { session_token: token, session: this.presenter.present(session, { admin: false }) };
  }
}
