import { expect } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  GOOD_PASSWORD,
  registerWithApi,
  startFlowServer,
  UI_BASE,
  type FlowServer,
} from '../../support/self-service.js';
import { type ReceivedMail, startSmtpSink } from '../../support/smtp-sink.js';

export const RECOVERY_UI = `${UI_BASE}/recovery`;
export const VERIFICATION_UI = `${UI_BASE}/verification`;
export const SETTINGS_UI = `${UI_BASE}/settings`;

type Sink = Awaited<ReturnType<typeof startSmtpSink>>;
type SinkMessage = ReceivedMail;

export interface MailServer extends FlowServer {
  sink: Sink;
}

/** A Tessera with recovery and verification on and its courier delivering to a real SMTP sink. */
export async function startMailServer(env: Record<string, string> = {}): Promise<MailServer> {
  const sink = await startSmtpSink();
  try {
    const server = await startFlowServer({
      COURIER_SMTP_CONNECTION_URI: sink.uri,
      SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
      SELFSERVICE_FLOWS_RECOVERY_UI_URL: RECOVERY_UI,
      SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
      SELFSERVICE_FLOWS_VERIFICATION_UI_URL: VERIFICATION_UI,
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: SETTINGS_UI,
      ...env,
    });
    return {
      ...server,
      sink,
      async stop() {
        await server.stop();
        await sink.close();
      },
    };
  } catch (error) {
    await sink.close();
    throw error;
  }
}

/** The plain-text body of a message, as a person reads it. */
export function textOf(message: SinkMessage): string {
  return message.text;
}

function recipientsOf(message: SinkMessage): string {
  return message.to.join(',').toLowerCase();
}

/** Waits for the next message to `to` about `about` (its subject) after `after` messages. */
export async function mailTo(sink: Sink, to: string, after = 0, about = /./): Promise<SinkMessage> {
  return sink.waitFor(
    (message: SinkMessage) =>
      recipientsOf(message).includes(to.toLowerCase()) &&
      about.test(message.subject) &&
      sink.messages.indexOf(message) >= after,
    15_000,
  );
}

/** Messages delivered to `to` so far. */
export const mailsTo = (sink: Sink, to: string) =>
  sink.messages.filter((message) => recipientsOf(message).includes(to.toLowerCase()));

/** The six-digit code in a message's text. */
export function codeIn(message: SinkMessage): string {
  const match = /\b(\d{6})\b/.exec(textOf(message));
  expect(match, textOf(message)).toBeTruthy();
  return match![1]!;
}

/** The first URL in a message's text. */
export function linkIn(message: SinkMessage, path: string): string {
  const match = new RegExp(`https?://[^\\s"'<>]*${path}[^\\s"'<>]*`).exec(
    textOf(message).replace(/=\r?\n/g, ''),
  );
  expect(match, textOf(message)).toBeTruthy();
  return match![0].replace(/&amp;/g, '&');
}

/** Drops ids, times and CSRF values, so two flows can be compared for what a user sees. */
export function withoutIds(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(
        /"csrf_token","type":"hidden","value":"[^"]*"/g,
        '"csrf_token","type":"hidden","value":"<csrf>"',
      ),
  );
}

export async function registeredUser(server: FlowServer, email: string) {
  return registerWithApi(server.frontend, email, GOOD_PASSWORD);
}

export { CookieJar };
