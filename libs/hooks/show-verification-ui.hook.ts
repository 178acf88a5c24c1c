import { Injectable } from '@nestjs/common';
import { type AfterRegistration, type AfterSettings, type FlowHook } from '../flow/index.js';

/**
 * `show_verification_ui`: after registration, or a profile change that added an address, a browser
 * goes to the verification UI of the flow started for the new address instead of the return URL. API and SPA clients find the flow in
 * `continue_with` (`show_verification_ui`) either way.
 */
@Injectable()
export class ShowVerificationUiHook implements FlowHook {
  readonly name = 'show_verification_ui';

  async afterRegistration(context: AfterRegistration): Promise<void> {
    context.showVerificationUi = context.verifications.length > 0;
  }

  async afterSettings(context: AfterSettings): Promise<void> {
    context.showVerificationUi = context.verifications.length > 0;
  }
}
