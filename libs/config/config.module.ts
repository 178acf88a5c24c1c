import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type LoadedConfig } from './config.loader.js';
import { ConfigService } from './config.service.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(loaded: LoadedConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ConfigService, useValue: new ConfigService(loaded) }],
      exports: [ConfigService],
    };
  }
}
