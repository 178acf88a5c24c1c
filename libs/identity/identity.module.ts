import { Module } from '@nestjs/common';
import { HashModule } from '../hash/index.js';
import { SchemaModule } from '../schema/index.js';
import { ThrottleModule } from '../throttle/index.js';
import { AdminPasswordHasher } from './admin-password-hasher.js';
import { IdentityListAdminController } from './identity-list.admin.controller.js';
import { IdentityAdminController } from './identity.admin.controller.js';
import { IdentityPresenter } from './identity.presenter.js';
import { LoginHintsFinder } from './login-hints.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';

@Module({
  imports: [SchemaModule, HashModule, ThrottleModule],
  controllers: [IdentityListAdminController, IdentityAdminController],
  providers: [AdminPasswordHasher, IdentityRepository, IdentityService, IdentityPresenter, LoginHintsFinder],
  exports: [IdentityService, IdentityRepository, IdentityPresenter, LoginHintsFinder],
})
export class IdentityModule {}
