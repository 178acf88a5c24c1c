import { Get, Inject, Query as QueryParams, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../errors/index.js';
import { SessionTransport } from '../../session/index.js';
import {
  type ClientKind,
  clientKind,
  CsrfTokens,
  flowExpired,
  flowIdParam,
  FlowHttp,
  FlowResponder,
  sessionAlreadyAvailable,
  sha256,
  wantsJson,
} from '../core/index.js';
import {
  type CodeFlowEntity,
  type CodeFlowOutcome,
  CodeFlowService,
  type CodeSubmission,
  isCodeFlowOutcome,
} from './code-flow.service.js';
import { codeFlowJson } from './code-flow.wire.js';

type Query = Record<string, string | undefined>;

/** Documents the `token` query of a submission, sent when a link in a message is followed. */
export const ApiLinkTokenQuery = (kind: string) =>
  ApiQuery({
    name: 'token',
    required: false,
    description: `The token of a ${kind} link, when the link is followed.`,
    schema: { type: 'string' },
  });

/** 410 for a retry of a completed flow: a fresh flow carries the message. */
export function flowReplaced(useFlowId: string): ApiError {
  return new ApiError(410, {
    id: 'self_service_flow_replaced',
    reason: 'The flow has been replaced by a new flow. Use the new flow instead.',
    message: 'self-service flow replaced',
    extra: { use_flow_id: useFlowId },
  });
}

/**
 * The HTTP steps recovery and verification share: creating browser and native flows, reading a
 * flow, and submitting it by form or by a followed link, answered per client kind. The concrete
 * controllers keep the routes and their OpenAPI decorators and call these.
 */
export abstract class CodeFlowController<
  F extends CodeFlowEntity,
  D = never,
  I extends CodeSubmission = CodeSubmission,
> {
  /** Whether a session makes the create endpoints refuse (recovery is for the signed-out). */
  protected readonly signedOutOnly: boolean = false;

  // Property injection keeps the subclasses' constructors to what only they need.
  @Inject(CsrfTokens) protected readonly csrf!: CsrfTokens;
  @Inject(FlowHttp) protected readonly http!: FlowHttp;
  @Inject(FlowResponder) protected readonly responder!: FlowResponder;
  @Inject(SessionTransport) protected readonly transport!: SessionTransport;

  protected constructor(private readonly service: CodeFlowService<F, D, I>) {}

  /** Checks a followed link (`GET ?flow=&…`); true when it answered without a submission. */
  protected abstract followLink(flow: F, query: Query, client: ClientKind, res: Response): Promise<boolean>;

  /** The submission the service gets from the request. */
  protected abstract submission(
    flow: F,
    query: Query,
    req: Request,
    res: Response,
    body: Record<string, unknown>,
  ): I;

  /** Answers the outcomes only this flow has. */
  protected abstract respondDone(res: Response, client: ClientKind, outcome: D): void;

  /** The link in a message (`?flow=&token=`, or verification's `?flow=&code=`): a submission without a body. */
  @Get()
  @ApiExcludeEndpoint()
  async follow(@QueryParams() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(query, req, res, {});
  }

  protected async createBrowserFlow(query: Query, req: Request, res: Response): Promise<void> {
    try {
      this.service.assertEnabled();
      if (this.signedOutOnly && (await this.http.sessionFor('browser', req)).session) {
        if (!wantsJson(req))
          return this.responder.found(res, this.http.returnUrl(this.service.kind, query['return_to']));
        throw sessionAlreadyAvailable();
      }
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.service.create({
        type: 'browser',
        requestUrl: this.http.requestUrl(req),
        returnTo: query['return_to'],
        csrfToken,
        skipSettings: this.service.kind === 'recovery' && query['skip_settings'] === 'true',
      });
      if (wantsJson(req)) return this.responder.json(res, 200, codeFlowJson(flow));
      this.responder.redirect(res, this.service.uiUrl(flow.id));
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  protected async createNativeFlow(req: Request, returnTo: string | undefined) {
    this.service.assertEnabled();
    if (this.signedOutOnly && (await this.http.sessionFor('api', req)).session)
      throw sessionAlreadyAvailable();
    const flow = await this.service.create({ type: 'api', requestUrl: this.http.requestUrl(req), returnTo });
    return codeFlowJson(flow);
  }

  protected async getFlow(id: string | undefined, req: Request, res: Response) {
    const flow = await this.service.get(flowIdParam(id));
    const boundNow = await this.bindOnOpen(flow, req, res);
    this.http.readable(this.service.kind, flow, req, this.service.isExpired(flow), boundNow);
    return codeFlowJson(flow);
  }

  /**
   * A browser flow an admin made is bound to no browser until one opens it: this one, which gets a
   * CSRF cookie if it has none. Returns its token when the flow was bound now.
   */
  private async bindOnOpen(flow: F, req: Request, res: Response): Promise<string | undefined> {
    if (flow.type !== 'browser' || flow.csrfTokenHash) return undefined;
    const token = this.csrf.ensure(req, res);
    if (!(await this.service.flows.bindToBrowser(flow.id, sha256(token)))) {
      flow.csrfTokenHash = (await this.service.get(flow.id)).csrfTokenHash;
      return undefined;
    }
    flow.csrfTokenHash = sha256(token);
    return token;
  }

  /** A form submission (`POST`) or a followed link (`GET`, no body). */
  protected async handle(
    query: Query,
    req: Request,
    res: Response,
    body: Record<string, unknown>,
  ): Promise<void> {
    let flow: F | undefined;
    try {
      flow = await this.service.get(flowIdParam(query['flow']));
      const fromLink = req.method === 'GET';
      // A followed link carries its own secret; every form submission is CSRF-checked.
      if (fromLink) await this.bindOnOpen(flow, req, res);
      const client = fromLink
        ? clientKind(flow.type, req)
        : this.http.checkSubmission(flow, req, res, body, codeFlowJson);
      if (!client) return;
      if (fromLink && (await this.followLink(flow, query, client, res))) return;
      const outcome = await this.service.submit(flow, this.submission(flow, query, req, res, body));
      this.respond(res, client, outcome);
    } catch (error) {
      await this.http.failed(this.service.kind, req, res, flow, error, codeFlowJson);
    }
  }

  /** The flow itself: 303 to the UI for browsers, JSON for apps and SPAs. */
  protected show(res: Response, client: ClientKind, flow: F, status: 200 | 400): void {
    if (client === 'browser') return this.responder.redirect(res, this.service.uiUrl(flow.id));
    if (flow.type === 'browser') this.csrf.present(flow, this.csrf.ensure(res.req, res));
    this.responder.json(res, status, codeFlowJson(flow));
  }

  private respond(res: Response, client: ClientKind, outcome: CodeFlowOutcome<F> | D): void {
    if (!isCodeFlowOutcome(outcome)) return this.respondDone(res, client, outcome);
    if (outcome.kind === 'flow') return this.show(res, client, outcome.flow, outcome.status);
    if (client === 'browser') return this.responder.redirect(res, this.service.uiUrl(outcome.replacement.id));
    if (outcome.kind === 'expired') throw flowExpired(outcome.flow, outcome.replacement, new Date());
    throw flowReplaced(outcome.replacement.id);
  }
}
