import { Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { installOutboundPolicy, resetOutboundPolicy } from './outbound-policy.js';

/**
 * Installs `clients.http` for every outbound call of the process when the container is built,
 * before any module's init reads a remote schema or template.
 */
@Injectable()
class OutboundPolicyInstaller implements OnModuleDestroy {
  constructor(config: ConfigService) {
    installOutboundPolicy({
      disallowPrivate: config.get<boolean>('clients.http.disallow_private_ip_ranges') === true,
      exceptionUrls: new Set(config.get<string[]>('clients.http.private_ip_exception_urls') ?? []),
    });
  }

  onModuleDestroy(): void {
    resetOutboundPolicy();
  }
}

@Module({ providers: [OutboundPolicyInstaller] })
export class HttpClientModule {}
