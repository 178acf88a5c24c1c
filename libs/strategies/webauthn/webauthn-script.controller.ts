import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { WEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT_ETAG } from './webauthn-script.js';

/** The contract names the script's schema `webAuthnJavaScript`: a string. */
export const WEBAUTHN_OPENAPI_SCHEMAS = { webAuthnJavaScript: { type: 'string' } };

/** Serves the WebAuthn/passkey helper script on the public port, as Kratos does. */
@ApiTags('frontend')
@Controller()
export class WebAuthnScriptController {
  @Get('.well-known/ory/webauthn.js')
  @ApiOperation({ operationId: 'getWebAuthnJavaScript', summary: 'Get WebAuthn JavaScript' })
  @ApiOkResponse({ description: 'webAuthnJavaScript', schema: { $ref: getSchemaPath('webAuthnJavaScript') } })
  @Header('Cache-Control', 'public, max-age=3600')
  script(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): void {
    res.setHeader('ETag', WEBAUTHN_SCRIPT_ETAG);
    // The script nodes load it with `crossorigin="anonymous"` and an integrity hash, which needs
    // CORS; it is the same public file for everyone, so any origin may read it unless CORS says more.
    if (!res.getHeader('Access-Control-Allow-Origin')) res.setHeader('Access-Control-Allow-Origin', '*');
    if (ifNoneMatch === WEBAUTHN_SCRIPT_ETAG) {
      res.status(304).end();
      return;
    }
    // `send` would lower-case the charset; Kratos answers `charset=UTF-8`.
    res.status(200).setHeader('Content-Type', 'text/javascript; charset=UTF-8');
    res.setHeader('Content-Length', Buffer.byteLength(WEBAUTHN_SCRIPT));
    res.end(WEBAUTHN_SCRIPT);
  }
}
