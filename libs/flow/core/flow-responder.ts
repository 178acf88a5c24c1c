import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { ApiError, toApiError } from '../../errors/index.js';
import { wantsJson } from './client-kind.js';
import { FlowErrorRepository } from './flow-error.repository.js';

const FALLBACK_ERROR_UI = 'https://www.ory.com/kratos/docs/fallback/error';

export function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.href;
}

/**
 * Answers in the form the client speaks: a 303 for browser forms, JSON for SPAs and apps; and
 * for errors a browser cannot read, a stored error and a redirect to the error UI.
 */
@Injectable()
export class FlowResponder {
  constructor(
    private readonly config: ConfigService,
    private readonly errors: FlowErrorRepository,
  ) {}

  redirect(res: Response, url: string): void {
    res.status(303).setHeader('Location', url);
    res.end();
  }

  /**
   * `302 Found`, where Kratos answers a browser so: a settings flow without a session, a signed-in
   * browser opening recovery or submitting a registration.
   */
  found(res: Response, url: string): void {
    res.status(302).setHeader('Location', url);
    res.end();
  }

  json(res: Response, status: number, body: unknown): void {
    res.status(status).json(body);
  }

  /**
   * Non-validation errors: apps (API flows) and JSON clients get the envelope, browsers go to the
   * error UI.
   */
  async error(req: Request, res: Response, error: unknown, flowType?: 'api' | 'browser'): Promise<void> {
    if (flowType === 'api' || wantsJson(req)) throw error;
    const apiError = toApiError(error);
    if (!apiError) throw error;
    const id = await this.errors.store(apiError.envelope().error as unknown as Record<string, unknown>);
    const ui = this.config.get<string>('selfservice.flows.error.ui_url') ?? FALLBACK_ERROR_UI;
    this.redirect(res, withQuery(ui, { id }));
  }
}

/** Kratos' answer to a JSON client that must send its browser elsewhere to go on. */
export function browserLocationChangeRequired(url: string): ApiError {
  return new ApiError(422, {
    id: 'browser_location_change_required',
    reason: `In order to complete this flow please redirect the browser to: ${url}`,
    message: 'browser location change required',
    extra: { redirect_browser_to: url },
  });
}

export function flowIdParam(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) {
    throw new ApiError(400, { reason: 'The flow query parameter is missing or malformed.' });
  }
  return value;
}
