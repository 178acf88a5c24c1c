import { Module } from '@nestjs/common';
import { Jsonnet } from './jsonnet.js';

/** Provides the one Jsonnet evaluator (default limits). */
@Module({
  providers: [{ provide: Jsonnet, useFactory: () => new Jsonnet() }],
  exports: [Jsonnet],
})
export class JsonnetModule {}
