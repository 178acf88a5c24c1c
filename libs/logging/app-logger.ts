import { type LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino, type LevelWithSilent } from 'pino';
import { Redactor } from './redact.js';
import { currentRequestId } from './request-context.js';

export interface AppLoggerOptions {
  level: string;
  secrets: readonly string[];
  /** Where lines go; stdout unless a test captures them. */
  destination?: NodeJS.WritableStream;
}

/** Structured JSON logging through pino, every line scrubbed of credentials and secrets. */
export class AppLogger implements LoggerService {
  private readonly pino: Pino;
  private readonly redactor: Redactor;

  constructor(options: AppLoggerOptions) {
    this.redactor = new Redactor(options.secrets);
    this.pino = pino(
      {
        level: options.level as LevelWithSilent,
        base: { service: 'tessera' },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      (options.destination ?? process.stdout) as pino.DestinationStream,
    );
  }

  private write(
    level: 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    fields?: object,
  ): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const requestId = currentRequestId();
    const record = this.redactor.value({
      ...(requestId ? { request_id: requestId } : {}),
      ...fields,
    }) as object;
    const text = message instanceof Error ? message.message : String(message);
    this.pino[level](record, this.redactor.text(text));
  }

  debug(message: unknown, fields?: object): void {
    this.write('debug', message, fields);
  }

  info(message: unknown, fields?: object): void {
    this.write('info', message, fields);
  }

  warn(message: unknown, fields?: object): void {
    this.write('warn', message, fields);
  }

  error(message: unknown, fields?: object): void {
    this.write('error', message, fields);
  }

  fatal(message: unknown, fields?: object): void {
    this.write('fatal', message, fields);
  }

  /** Nest's own chatter (module and route listings) arrives here; it is debug detail. */
  log(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, nestFields(rest));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, nestFields(rest));
  }
}

function nestFields(rest: unknown[]): object {
  const context = rest.at(-1);
  return typeof context === 'string' ? { context } : {};
}
