import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { CookieSettings } from './cookie-settings.js';
import { SessionAdminController } from './session.admin.controller.js';
import { SessionPresenter } from './session.presenter.js';
import { SessionPublicController } from './session.public.controller.js';
import { SessionRepository } from './session.repository.js';
import { SessionService } from './session.service.js';
import { SessionTransport } from './session-transport.js';

@Module({
  imports: [IdentityModule],
  controllers: [SessionPublicController, SessionAdminController],
  providers: [SessionRepository, SessionService, SessionPresenter, SessionTransport, CookieSettings],
  exports: [SessionService, SessionPresenter, SessionTransport, CookieSettings],
})
export class SessionModule {}
