import type { Transporter } from 'nodemailer';
import type { CourierMessageEntity } from './courier-message.entity.js';
import type { SmtpOptions } from './courier.options.js';

/** nodemailer transport options from Kratos' `connection_uri` and its query flags. */
export function smtpTransportOptions(options: SmtpOptions) {
  const uri = new URL(options.connectionUri);
  const implicitTls = uri.protocol === 'smtps:';
  const flag = (name: string) => uri.searchParams.get(name) === 'true';
  const serverName = uri.searchParams.get('server_name');
  return {
    pool: true as const,
    maxConnections: 5,
    host: uri.hostname,
    port: Number(uri.port || (implicitTls ? 465 : 587)),
    secure: implicitTls,
    // Kratos enforces StartTLS on smtp:// unless told not to.
    ignoreTLS: !implicitTls && flag('disable_starttls'),
    requireTLS: !implicitTls && !flag('disable_starttls'),
    name: options.localName,
    auth: uri.username
      ? { user: decodeURIComponent(uri.username), pass: decodeURIComponent(uri.password) }
      : undefined,
    tls: {
      rejectUnauthorized: !flag('skip_ssl_verify'),
      ...(serverName ? { servername: serverName } : {}),
    },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Email over SMTP: multipart/alternative with the plaintext and HTML bodies rendered at enqueue. */
export class SmtpChannel {
  /** nodemailer loads with the first message, not at start-up. */
  private transport: Promise<Transporter> | undefined;
  private readonly domain: string;

  constructor(private readonly options: SmtpOptions) {
    this.domain = options.fromAddress.split('@')[1] ?? 'localhost';
  }

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then((nodemailer) =>
      nodemailer.default.createTransport(smtpTransportOptions(this.options)),
    );
    return this.transport;
  }

  async send(message: CourierMessageEntity): Promise<void> {
    const transport = await this.transporter();
    await transport.sendMail({
      from: this.options.fromName
        ? { name: this.options.fromName, address: this.options.fromAddress }
        : this.options.fromAddress,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      ...(message.bodyHtml ? { html: message.bodyHtml } : {}),
      headers: this.options.headers,
      // Stable across retries, so a receiver can drop a copy sent twice after a crash.
      messageId: `<${message.id}@${this.domain}>`,
      date: new Date(),
    });
  }

  close(): void {
    void this.transport?.then((transport) => transport.close());
  }
}
