import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { FlowResponder } from '../core/index.js';

/**
 * `/.well-known/change-password` (W3C "well-known URL for changing passwords"): password managers
 * send users here; they go on to the settings UI. Not part of the contract's operations.
 */
@ApiExcludeController()
@Controller('.well-known/change-password')
export class ChangePasswordController {
  constructor(
    private readonly config: ConfigService,
    private readonly responder: FlowResponder,
  ) {}

  @Get()
  redirect(@Res() res: Response): void {
    const ui = this.config.get<string>('selfservice.flows.settings.ui_url');
    this.responder.redirect(res, ui || this.config.url('public', 'self-service/settings/browser'));
  }
}
