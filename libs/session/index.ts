import { SessionDeviceEntity, SessionEntity } from './session.entity.js';
import { SessionTokenExchangeEntity } from './session-token-exchange.entity.js';

export { CookieSettings } from './cookie-settings.js';
export { readCookie, serializeCookie, type CookieAttributes } from './http-cookies.js';
export { SessionDeviceEntity, SessionEntity, type Aal, type AuthenticationMethod } from './session.entity.js';
export { IdentityDisabledError, SessionNotFoundError } from './session.errors.js';
export { SessionModule } from './session.module.js';
export { SessionPresenter } from './session.presenter.js';
export { SessionRepository } from './session.repository.js';
export { AAL_PROPERTY, Session } from './session.response.dto.js';
export { ApiCookieHeader, ApiSessionHeaders, ApiSessionTokenHeader } from './session.openapi.js';
export { aalOf, SessionService, type Authentication, type DeviceInfo } from './session.service.js';
export { appendSetCookie, SessionTransport } from './session-transport.js';
export { WhoamiAnswers } from './whoami-answers.js';
export { WHOAMI_PATH, whoamiRoute } from './whoami-route.js';
export { hashToken } from './session-tokens.js';

export {
  exchangeCodeHash,
  EXCHANGE_LIFESPAN_MS,
  sameHash,
  SessionTokenExchanges,
} from './session-token-exchanges.js';

export const SESSION_ENTITIES = [SessionEntity, SessionDeviceEntity, SessionTokenExchangeEntity];
export { aal2Required } from './session-aal.js';
export { SessionTokenizer } from './session-tokenizer.js';
