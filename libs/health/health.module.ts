import { Module } from '@nestjs/common';
import { AdminHealthController, PublicHealthController } from './health.controller.js';
import { ShutdownState } from './shutdown-state.js';

@Module({
  controllers: [PublicHealthController, AdminHealthController],
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
