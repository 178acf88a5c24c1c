import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfigService } from '../config/index.js';
import { ApiError, ApiErrorResponses } from '../errors/index.js';
import { assertQueryText, isUuid } from '../persistence/index.js';
import { MESSAGE_STATUSES, type MessageStatus } from './courier-message.entity.js';
import { Message } from './courier.response.dto.js';
import { CourierService } from './courier.service.js';
import { messageJson } from './courier.wire.js';

type Query = Record<string, string | string[] | undefined>;

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

interface ParsedQuery {
  pageSize: number;
  after?: string;
  status?: MessageStatus;
  recipient?: string;
}

function parseQuery(query: Query): ParsedQuery {
  const sizeText = one(query['page_size']);
  const pageSize = sizeText === undefined || sizeText === '' ? 250 : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new ApiError(400, { reason: 'The page_size parameter must be an integer between 1 and 1000.' });
  }
  const token = one(query['page_token']);
  if (token !== undefined && token !== '' && !isUuid(token)) {
    throw new ApiError(400, { reason: 'The page token is invalid, do not craft your own page tokens' });
  }
  const status = one(query['status']);
  if (status !== undefined && status !== '' && !MESSAGE_STATUSES.includes(status as MessageStatus)) {
    throw new ApiError(400, {
      reason: `The status parameter must be one of ${MESSAGE_STATUSES.join(', ')}.`,
    });
  }
  const recipient = one(query['recipient']);
  // courier_messages.recipient is varchar(255).
  assertQueryText('recipient', recipient, 255);
  return {
    pageSize,
    ...(token && token !== NIL_UUID ? { after: token.toLowerCase() } : {}),
    ...(status ? { status: status as MessageStatus } : {}),
    ...(recipient ? { recipient } : {}),
  };
}

function linkHeader(path: string, query: Query, pageSize: number, next?: string): string {
  const base = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'page_token' || key === 'page_size' || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) base.append(key, v);
  }
  const link = (token: string, rel: string) => {
    const params = new URLSearchParams(base);
    params.set('page_size', String(pageSize));
    params.set('page_token', token);
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  return [link(NIL_UUID, 'first'), ...(next ? [link(next, 'next')] : [])].join(',');
}

/** The admin courier API: what was queued, sent or abandoned, with every delivery attempt. */
@ApiTags('courier')
@Controller('admin/courier/messages')
export class CourierAdminController {
  constructor(
    private readonly courier: CourierService,
    private readonly config: ConfigService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listCourierMessages',
    summary: 'List Messages',
    description: 'Lists all messages by given status and recipient.',
  })
  @ApiQuery({
    name: 'page_size',
    required: false,
    description: 'Items per Page',
    schema: { type: 'integer', format: 'int64', default: 250, minimum: 1, maximum: 1000 },
  })
  @ApiQuery({
    name: 'page_token',
    required: false,
    description: 'Next Page Token',
    schema: { type: 'string' },
  })
  @ApiQuery({
    name: 'status',
    required: false,
    description: 'Status filters out messages based on status.',
    enum: MESSAGE_STATUSES,
    enumName: 'courierMessageStatus',
  })
  @ApiQuery({
    name: 'recipient',
    required: false,
    description: 'Recipient filters out messages based on recipient.',
    schema: { type: 'string' },
  })
  @ApiOkResponse({ type: [Message], description: 'Paginated Courier Message List Response' })
  @ApiErrorResponses(400)
  async list(@Query() query: Query, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const parsed = parseQuery(query);
    const page = await this.courier.list(parsed);
    const next = page.length === parsed.pageSize ? page.at(-1)?.id : undefined;
    res.setHeader('Link', linkHeader(req.path, query, parsed.pageSize, next));
    return page.map((message) => messageJson(message, this.config.dev));
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getCourierMessage',
    summary: 'Get a Message',
    description: 'Gets a specific messages by the given ID.',
  })
  @ApiParam({ name: 'id', description: 'MessageID is the ID of the message.', schema: { type: 'string' } })
  @ApiOkResponse({ type: Message, description: 'message' })
  @ApiErrorResponses(400, 404)
  async get(@Param('id') id: string) {
    if (!isUuid(id)) throw new ApiError(400, { reason: 'The message id must be a UUID.' });
    const message = await this.courier.get(id.toLowerCase());
    if (!message) throw new ApiError(404, { reason: 'The requested courier message does not exist.' });
    return messageJson(message, this.config.dev);
  }
}
