import { Injectable } from '@nestjs/common';
import { LoginSettingsStrategy } from '../login-settings.strategy.js';
import { TotpLogin } from './totp-login.js';
import { TotpSettings } from './totp-settings.js';

/** An authenticator app (RFC 6238) as a second factor: aal2 login and settings. */
@Injectable()
export class TotpStrategy extends LoginSettingsStrategy {
  readonly id = 'totp';

  constructor(totpLogin: TotpLogin, totpSettings: TotpSettings) {
    super(totpLogin, totpSettings);
  }
}
