import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { Jsonnet } from './jsonnet.js';
import { JsonnetModule } from './jsonnet.module.js';

@Module({ imports: [JsonnetModule] })
class AppModule {}

describe('JsonnetModule', () => {
  it('provides one Jsonnet evaluator with the default limits', async () => {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    try {
      const jsonnet = app.get(Jsonnet);
      expect(jsonnet.compile('{ a: std.extVar("x") * 2 }', 'm.jsonnet').evaluate({ x: 21 })).toEqual({
        ok: true,
        value: { a: 42 },
      });
      expect(app.get(Jsonnet)).toBe(jsonnet);
      const deep = jsonnet.compile('local f(n) = f(n + 1) + 1; f(0)', 'deep.jsonnet').evaluate({});
      expect(deep).toMatchObject({
        ok: false,
        error: { kind: 'limit', message: expect.stringContaining('400') },
      });
    } finally {
      await app.close();
    }
  });
});
