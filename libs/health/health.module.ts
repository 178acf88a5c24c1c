import { Module } from '@nestjs/common';
import { AdminHealthController, PublicHealthController } from './health.controller.js';

@Module({ controllers: [PublicHealthController, AdminHealthController] })
export class HealthModule {}
