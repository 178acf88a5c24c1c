import {
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  getSchemaPath,
  type SchemaObject,
} from '@nestjs/swagger';
import { ANY_JSON, CredentialsType } from '../../identity/index.js';
import { type UiTextType } from '../../text/index.js';
import { type NodeGroup, type UiNode as UiNodeShape } from './ui.js';

// Documentation classes for the `ui` container every flow carries; nothing validates them.

@ApiSchema({ name: 'uiText' })
export class UiText {
  @ApiProperty({ type: 'integer', format: 'int64', description: 'The message id of the contract.' })
  id!: number;

  @ApiProperty({ description: 'The message text, in English.' })
  text!: string;

  @ApiProperty({ enum: ['info', 'error', 'success'] satisfies UiTextType[] })
  type!: UiTextType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The values the text was made from.',
  })
  context?: Record<string, unknown>;
}

@ApiSchema({ name: 'uiNodeMeta', description: "A Node's Meta Information" })
export class UiNodeMeta {
  @ApiPropertyOptional({ type: UiText, description: 'The label to show for the node.' })
  label?: UiText;
}

/**
 * The attributes of an `input` node, the one node type served so far. Inputs for an enum trait
 * also carry `options`, which the contract's schema does not list, so neither does this class.
 */
@ApiSchema({
  name: 'uiNodeInputAttributes',
  description: 'InputAttributes represents the attributes of an input node',
})
export class UiNodeInputAttributes {
  @ApiProperty({ description: "The input's element name." })
  name!: string;

  @ApiProperty({
    enum: [
      'text',
      'password',
      'number',
      'checkbox',
      'hidden',
      'email',
      'tel',
      'submit',
      'datetime-local',
      'date',
      'url',
    ],
    description: "The input's element type.",
  })
  type!: string;

  @ApiPropertyOptional({ ...ANY_JSON, description: "The input's value." })
  value?: unknown;

  @ApiPropertyOptional({ description: 'Mark this input field as required.' })
  required?: boolean;

  @ApiPropertyOptional({
    enum: ['email', 'tel', 'url', 'current-password', 'new-password', 'one-time-code'],
    description: 'The autocomplete attribute for the input.',
  })
  autocomplete?: string;

  @ApiPropertyOptional({ description: "The input's pattern." })
  pattern?: string;

  @ApiProperty({ description: "Sets the input's disabled field to true or false." })
  disabled!: boolean;

  @ApiProperty({ enum: ['input'], description: "NodeType represents this node's type." })
  node_type!: 'input';
}

@ApiSchema({
  name: 'uiNodeTextAttributes',
  description: 'TextAttributes represents the attributes of a text node.',
})
export class UiNodeTextAttributes {
  @ApiProperty({ description: 'A unique identifier' })
  id!: string;

  @ApiProperty({ type: () => UiText })
  text!: UiText;

  @ApiProperty({ enum: ['text'], description: "NodeType represents this node's type." })
  node_type!: 'text';
}

@ApiSchema({
  name: 'uiNodeImageAttributes',
  description: 'ImageAttributes represents the attributes of an image node.',
})
export class UiNodeImageAttributes {
  @ApiProperty({ description: 'A unique identifier' })
  id!: string;

  @ApiProperty({ description: "The image's source URL (a data URI for the TOTP QR code)." })
  src!: string;

  @ApiProperty({ type: 'integer', format: 'int64', description: 'Width of the image' })
  width!: number;

  @ApiProperty({ type: 'integer', format: 'int64', description: 'Height of the image' })
  height!: number;

  @ApiProperty({ enum: ['img'], description: "NodeType represents this node's type." })
  node_type!: 'img';
}

@ApiSchema({ name: 'uiNode', description: "Node represents a flow's nodes" })
export class UiNode {
  @ApiProperty({ enum: ['input', 'text', 'img', 'a', 'script', 'div'] satisfies UiNodeShape['type'][] })
  type!: UiNodeShape['type'];

  @ApiProperty({
    enum: [
      'default',
      'password',
      'oidc',
      'profile',
      'code',
      'link',
      'totp',
      'lookup_secret',
      'webauthn',
      'passkey',
    ] satisfies NodeGroup[],
    description: 'Groups the nodes of one method together.',
  })
  group!: NodeGroup;

  @ApiProperty({ allOf: [{ $ref: getSchemaPath('uiNodeAttributes') }] })
  attributes!: UiNodeShape['attributes'];

  @ApiProperty({ type: [UiText] })
  messages!: UiText[];

  @ApiProperty({ type: UiNodeMeta })
  meta!: UiNodeMeta;
}

@ApiSchema({
  name: 'uiContainer',
  description:
    'Container represents a HTML Form. The container can work with both HTTP Form and JSON requests',
})
export class UiContainer {
  @ApiProperty({
    description:
      'Action should be used as the form action URL `<form action="{{ .Action }}" method="post">`.',
  })
  action!: string;

  @ApiProperty({ description: 'Method is the form method (e.g. POST)' })
  method!: string;

  @ApiProperty({ type: [UiNode] })
  nodes!: UiNode[];

  @ApiPropertyOptional({ type: [UiText], description: 'Messages about the form as a whole.' })
  messages?: UiText[];
}

@ApiSchema({
  name: 'continueWithRedirectBrowserTo',
  description:
    'Indicates that the browser should be sent to this URL, for SPAs that cannot follow a redirect',
})
export class ContinueWithRedirectBrowserTo {
  @ApiProperty({ enum: ['redirect_browser_to'] })
  action!: 'redirect_browser_to';

  @ApiProperty({ description: 'The URL to redirect the browser to' })
  redirect_browser_to!: string;
}

@ApiSchema({
  name: 'continueWithSetOrySessionToken',
  description:
    'Indicates that a session was issued, and the application should use this token for authenticated requests',
})
export class ContinueWithSetOrySessionToken {
  @ApiProperty({ enum: ['set_ory_session_token'] })
  action!: 'set_ory_session_token';

  @ApiProperty({ description: 'Token is the token of the session' })
  ory_session_token!: string;
}

/** What every self-service flow writes; each flow kind adds its own `state` and fields. */
export abstract class SelfServiceFlowResponse {
  @ApiProperty({ format: 'uuid', description: 'The flow ID.' })
  id!: string;

  @ApiProperty({
    enum: ['api', 'browser'],
    enumName: 'selfServiceFlowType',
    description: 'The flow type: `api` for native apps, `browser` for browsers and SPAs.',
  })
  type!: 'api' | 'browser';

  @ApiProperty({ format: 'date-time', description: 'When the flow expires; it must be completed before.' })
  expires_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When the flow was started.' })
  issued_at!: string;

  @ApiProperty({ description: 'The URL the flow was started from, with its query.' })
  request_url!: string;

  @ApiPropertyOptional({ description: 'Where the browser goes once the flow is completed.' })
  return_to?: string;

  @ApiPropertyOptional({
    enum: Object.values(CredentialsType),
    description: 'The method last used to submit the flow.',
  })
  active?: string;

  @ApiProperty({ type: UiContainer })
  ui!: UiContainer;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The transient payload of the last submission, passed on to webhooks.',
  })
  transient_payload?: Record<string, unknown>;
}

/** Login and registration flows also name the organization (B2B SSO) they belong to. */
export abstract class OrganizationFlowResponse extends SelfServiceFlowResponse {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Always null.' })
  organization_id?: null;

  @ApiPropertyOptional({
    description:
      "The init code of a native app's session token exchange: only when the API flow was created " +
      'with `return_session_token_exchange_code=true`, and only in that response.',
  })
  session_token_exchange_code?: string;
}

/** `@ApiProperty` options for the continue_with list of a successful native login or registration. */
export const CONTINUE_WITH_PROPERTY = {
  type: 'array',
  items: { $ref: getSchemaPath('continueWith') },
  description: 'What the client should do next.',
} as const;

/** The classes only the raw schemas below point at; the OpenAPI document registers them. */
export const FLOW_OPENAPI_MODELS = [
  UiNodeInputAttributes,
  UiNodeTextAttributes,
  UiNodeImageAttributes,
  ContinueWithRedirectBrowserTo,
  ContinueWithSetOrySessionToken,
];

/**
 * Named schemas of the contract that are unions (`oneOf`), so no class can stand for them; the
 * OpenAPI document adds them to its components. Each lists only the members served so far.
 */
export const FLOW_OPENAPI_SCHEMAS: Record<string, SchemaObject> = {
  uiNodeAttributes: {
    title: 'Attributes represents a list of attributes (e.g. `href="foo"` for links).',
    oneOf: [
      { $ref: getSchemaPath(UiNodeInputAttributes) },
      { $ref: getSchemaPath(UiNodeTextAttributes) },
      { $ref: getSchemaPath(UiNodeImageAttributes) },
    ],
    discriminator: {
      propertyName: 'node_type',
      mapping: {
        input: getSchemaPath(UiNodeInputAttributes),
        text: getSchemaPath(UiNodeTextAttributes),
        img: getSchemaPath(UiNodeImageAttributes),
      },
    },
  },
  continueWith: {
    type: 'object',
    oneOf: [
      { $ref: getSchemaPath(ContinueWithSetOrySessionToken) },
      { $ref: getSchemaPath(ContinueWithRedirectBrowserTo) },
    ],
    discriminator: {
      propertyName: 'action',
      mapping: {
        set_ory_session_token: getSchemaPath(ContinueWithSetOrySessionToken),
        redirect_browser_to: getSchemaPath(ContinueWithRedirectBrowserTo),
      },
    },
  },
};
