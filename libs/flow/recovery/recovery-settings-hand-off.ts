import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { Clock } from '../../persistence/index.js';
import { CodeText } from '../../text/index.js';
import { addUiMessage, type SettingsFlowEntity } from '../core/index.js';
import { SettingsFlowRepository } from '../settings/settings-flow.repository.js';
import { SettingsFlowService } from '../settings/settings-flow.service.js';
import { type SettingsFlowFor, SettingsHandOff } from './settings-hand-off.js';

/**
 * The settings flow a recovered user lands on: every strategy's nodes, and message 1060001 telling
 * how long the session stays privileged for changing the password.
 */
@Injectable()
export class RecoverySettingsHandOff extends SettingsHandOff {
  constructor(
    private readonly settings: SettingsFlowService,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly flows: SettingsFlowRepository,
  ) {
    super();
  }

  async createFor(input: SettingsFlowFor): Promise<SettingsFlowEntity> {
    const flow = await this.settings.createFor(input);
    const privilegedUntil = new Date(
      input.session.authenticatedAt.getTime() +
        this.config.duration('selfservice.flows.settings.privileged_session_max_age', '15m'),
    );
    addUiMessage(flow.ui, CodeText.recoverySuccessful(privilegedUntil, this.clock.now()));
    await this.flows.update(flow);
    return flow;
  }
}
