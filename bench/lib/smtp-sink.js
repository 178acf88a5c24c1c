// A local SMTP server for the benches: accepts every message, no TLS, no auth.
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/** An SMTP server that accepts everything and tells who waits for the next message to an address. */
export async function startSink() {
  const waiting = new Map();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const at = performance.now();
        for (const to of session.envelope.rcptTo.map((r) => r.address.toLowerCase())) {
          waiting.get(to)?.(at);
          waiting.delete(to);
        }
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `smtp://127.0.0.1:${server.server.address().port}/?disable_starttls=true`,
    next: (to) => new Promise((resolve) => waiting.set(to.toLowerCase(), resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
