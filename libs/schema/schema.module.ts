import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OnModuleInit,
  type OptionalFactoryDependency,
  type Provider,
} from '@nestjs/common';
import { IDENTITY_SCHEMA_OPTIONS, IdentitySchemaRegistry } from './identity-schema.registry.js';
import { type IdentitySchemaOptions } from './identity-schema.types.js';
import { SchemaController } from './schema.controller.js';

export type SchemaModuleOptions =
  | { useValue: IdentitySchemaOptions; imports?: ModuleMetadata['imports'] }
  | {
      useFactory: (...args: never[]) => IdentitySchemaOptions | Promise<IdentitySchemaOptions>;
      inject?: (InjectionToken | OptionalFactoryDependency)[];
      imports?: ModuleMetadata['imports'];
    };

/**
 * Identity schemas: the registry (loaded before the app listens) and the public schema API.
 * Options come from the app: `SchemaModule.forRoot(...)`, or a global provider of
 * IDENTITY_SCHEMA_OPTIONS with a plain `imports: [SchemaModule]`.
 */
@Module({
  controllers: [SchemaController],
  providers: [IdentitySchemaRegistry],
  exports: [IdentitySchemaRegistry],
})
export class SchemaModule implements OnModuleInit {
  constructor(private readonly registry: IdentitySchemaRegistry) {}

  static forRoot(options: SchemaModuleOptions): DynamicModule {
    const optionsProvider: Provider =
      'useValue' in options
        ? { provide: IDENTITY_SCHEMA_OPTIONS, useValue: options.useValue }
        : { provide: IDENTITY_SCHEMA_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return {
      module: SchemaModule,
      imports: options.imports ?? [],
      providers: [optionsProvider],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.registry.load();
  }
}
