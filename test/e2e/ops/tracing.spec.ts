import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Configuration, FrontendApi } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWithApi, uniqueEmail } from '../../support/self-service.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// A real OTLP/HTTP receiver on loopback takes what Tessera exports (JSON encoding).

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface Exported {
  service: string | undefined;
  span: OtlpSpan;
}

class OtlpReceiver {
  readonly spans: Exported[] = [];
  readonly bodies: string[] = [];
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const text = body.toString('utf8');
        this.bodies.push(text);
        if (req.url === '/v1/traces') this.collect(JSON.parse(text));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private collect(payload: {
    resourceSpans?: {
      resource?: { attributes?: { key: string; value: OtlpValue }[] };
      scopeSpans?: { spans?: OtlpSpan[] }[];
    }[];
  }): void {
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value
        .stringValue;
      for (const scope of resourceSpans.scopeSpans ?? [])
        for (const span of scope.spans ?? []) this.spans.push({ service, span });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

async function until<T>(find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not exported in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

describe('OpenTelemetry tracing with Kratos tracing keys', () => {
  const receiver = new OtlpReceiver();
  let smtp: SmtpSink;
  let tessera: TesseraProcess;
  let frontend: FrontendApi;

  beforeAll(async () => {
    await receiver.start();
    smtp = await startSmtpSink();
    tessera = await startTessera({
      env: {
        TRACING_PROVIDER: 'otel',
        TRACING_SERVICE_NAME: 'tessera-e2e',
        TRACING_PROVIDERS_OTLP_SERVER_URL: `127.0.0.1:${receiver.port}`,
        TRACING_PROVIDERS_OTLP_INSECURE: 'true',
        TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: '1',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        COURIER_SMTP_CONNECTION_URI: smtp.uri,
        // Registration then mails a verification code: the courier's span.
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_VERIFICATION_UI_URL: 'http://127.0.0.1:4455/verification',
      },
    });
    frontend = new FrontendApi(
      new Configuration({
        basePath: tessera.publicUrl,
        baseOptions: {
          validateStatus: () => true,
          headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` },
        },
      }),
    );
  });

  afterAll(async () => {
    await tessera?.stop();
    await smtp?.close();
    await receiver.close();
  });

  it('continues the caller trace with a span per request, database spans beneath it, and a courier span', async () => {
    const email = uniqueEmail('traced');
    const user = await registerWithApi(frontend, email);

    const request = await until(() =>
      receiver.spans.find(
        ({ span }) => span.traceId === TRACE_ID && span.name === 'POST /self-service/registration',
      ),
    );
    expect(request.service).toBe('tessera-e2e');
    expect(request.span.parentSpanId).toBe(PARENT_SPAN);
    expect(request.span.kind).toBe(2); // SERVER
    expect(attribute(request.span, 'http.route')).toBe('/self-service/registration');
    expect(Number(attribute(request.span, 'http.response.status_code'))).toBe(200);
    expect(attribute(request.span, 'tessera.port')).toBe('public');

    const queries = await until(() => {
      const found = receiver.spans.filter(
        ({ span }) => span.parentSpanId === request.span.spanId && span.name.startsWith('db '),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(queries.every(({ span }) => span.traceId === TRACE_ID)).toBe(true);
    expect(queries.some(({ span }) => /identities/.test(String(attribute(span, 'db.query.text'))))).toBe(
      true,
    );

    await smtp.waitFor((mail) => mail.to.includes(email));
    const send = await until(() => receiver.spans.find(({ span }) => span.name === 'courier send'));
    expect(attribute(send.span, 'tessera.courier.channel')).toBe('email');

    // Nothing secret leaves in a span: no password, no session token, no address, no query values.
    const exported = receiver.bodies.join('\n');
    expect(exported).not.toContain(user.password);
    expect(exported).not.toContain(user.token);
    expect(exported).not.toContain(email);
  });
});

describe('tracing off (the default)', () => {
  it('exports nothing and loads no SDK', async () => {
    const receiver = new OtlpReceiver();
    await receiver.start();
    const tessera = await startTessera({
      env: {
        OTEL_BSP_SCHEDULE_DELAY: '100',
        TRACING_PROVIDERS_OTLP_SERVER_URL: `127.0.0.1:${receiver.port}`,
      },
    });
    try {
      const frontend = new FrontendApi(
        new Configuration({ basePath: tessera.publicUrl, baseOptions: { validateStatus: () => true } }),
      );
      await registerWithApi(frontend);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.bodies).toEqual([]);
      expect(tessera.logs().some((line) => line['msg'] === 'tracing to OTLP')).toBe(false);
    } finally {
      await tessera.stop();
      await receiver.close();
    }
  });
});
