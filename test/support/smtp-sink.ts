import { SMTPServer } from 'smtp-server';
import { freePort } from './tessera-process.js';

/** One mail as the sink received it, MIME already decoded. */
export interface ReceivedMail {
  /** The envelope sender (MAIL FROM), a bare address. */
  from: string;
  /** The envelope recipients (RCPT TO), bare addresses. */
  to: string[];
  /** The Subject header, RFC 2047 encoded words decoded. */
  subject: string;
  /** The text/plain part (or the whole body of a single-part text mail), transfer encoding undone. */
  text: string;
  /** The text/html part, transfer encoding undone; '' when there is none. */
  html: string;
  /** Top-level headers, names lower-cased, folded lines joined, encoded words decoded. */
  headers: Record<string, string>;
  /** The message exactly as it came over DATA. */
  raw: string;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>/?disable_starttls=true`, ready for `courier.smtp.connection_uri`. */
  uri: string;
  messages: ReceivedMail[];
  /** Resolves with the first mail (already received or still to come) that matches. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Stops listening and drops open connections; keeps `messages`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
  /**
   * Holds each DATA answer this long (ms) before accepting the mail; 0 by default. A client that
   * disconnects before the answer has not delivered: like a real server, the mail is dropped.
   */
  dataDelayMs: number;
  /** Mails fully received whose DATA answer is still being held. */
  readonly pending: number;
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** A real SMTP server on 127.0.0.1: authless, no TLS, every mail accepted and parsed. */
export async function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  const port = opts.port ?? (await freePort());
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ predicate: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  let server: SMTPServer | undefined;
  let pending = 0;
  const closedSessions = new Set<string>();

  const sink: SmtpSink = {
    port,
    uri: `smtp://127.0.0.1:${port}/?disable_starttls=true`,
    messages,
    dataDelayMs: 0,
    get pending() {
      return pending;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching mail within ${timeoutMs} ms; received: ${JSON.stringify(
                messages.map((m) => ({ to: m.to, subject: m.subject })),
              )}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async start() {
      if (server) return;
      const created = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        closeTimeout: 100,
        onClose(session) {
          closedSessions.add(session.id);
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const accept = () => {
              if (closedSessions.has(session.id)) return;
              const mail = parseMail(raw, session.envelope);
              messages.push(mail);
              for (const waiter of [...waiters]) if (waiter.predicate(mail)) waiter.resolve(mail);
              callback();
            };
            if (sink.dataDelayMs > 0) {
              pending++;
              setTimeout(() => {
                pending--;
                accept();
              }, sink.dataDelayMs);
            } else accept();
          });
        },
      });
      created.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        created.server.once('error', reject);
        created.listen(port, '127.0.0.1', () => {
          created.server.off('error', reject);
          resolve();
        });
      });
      server = created;
    },
    async stop() {
      const running = server;
      server = undefined;
      if (!running) return;
      await new Promise<void>((resolve) => {
        running.close(() => resolve());
        for (const connection of (running as unknown as { connections: Set<{ close(): void }> }).connections)
          connection.close();
      });
    },
    async close() {
      await sink.stop();
    },
  };
  await sink.start();
  return sink;
}

function parseMail(
  raw: string,
  envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] },
): ReceivedMail {
  const top = splitPart(raw);
  const leaves = flatten(top);
  const textPart = leaves.find((p) => contentType(p).type === 'text/plain');
  const htmlPart = leaves.find((p) => contentType(p).type === 'text/html');
  return {
    from: envelope.mailFrom ? envelope.mailFrom.address : '',
    to: envelope.rcptTo.map((r) => r.address),
    subject: top.headers['subject'] ?? '',
    text: textPart ? decodeBody(textPart) : '',
    html: htmlPart ? decodeBody(htmlPart) : '',
    headers: top.headers,
    raw,
  };
}

function splitPart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeEncodedWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function contentType(part: Part): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (part.headers['content-type'] ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  return { type: type.trim().toLowerCase(), params };
}

function flatten(part: Part): Part[] {
  const { type, params } = contentType(part);
  if (!type.startsWith('multipart/') || !params['boundary']) return [part];
  const delimiter = `--${params['boundary']}`;
  const sections = part.body.split(new RegExp(`^${escapeRegExp(delimiter)}(?:--)?[ \\t]*$`, 'm'));
  // First section is the preamble, last the epilogue.
  return sections
    .slice(1, -1)
    .map((section) => splitPart(section.replace(/^\n/, '').replace(/\n$/, '')))
    .flatMap(flatten);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

export function decodeQuotedPrintable(text: string): string {
  const unfolded = text.replace(/[ \t]*=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const char = unfolded[i]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(unfolded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(unfolded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
