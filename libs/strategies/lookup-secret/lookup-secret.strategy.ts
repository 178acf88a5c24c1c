import { Injectable } from '@nestjs/common';
import { LoginSettingsStrategy } from '../login-settings.strategy.js';
import { LookupSecretLogin } from './lookup-login.js';
import { LookupSecretSettings } from './lookup-settings.js';

/** Backup recovery codes as a second factor: aal2 login and settings. */
@Injectable()
export class LookupSecretStrategy extends LoginSettingsStrategy {
  readonly id = 'lookup_secret';

  constructor(lookupLogin: LookupSecretLogin, lookupSettings: LookupSecretSettings) {
    super(lookupLogin, lookupSettings);
  }
}
