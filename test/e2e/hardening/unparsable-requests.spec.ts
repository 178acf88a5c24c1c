import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// Requests Node's HTTP parser refuses never reach the application; they still get an answer in
// the contract's envelope, even while the client is still sending a large body.

let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startTessera();
});

afterAll(async () => {
  await tessera?.stop();
});

/**
 * Sends raw bytes and reads everything until the server closes; rejects on a reset. The body goes
 * at once, or in `pieces` that reach the server after it has already answered.
 */
function rawExchange(base: string, head: string, body: string, pieces = 1): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, async () => {
      socket.write(Buffer.from(head, 'latin1'));
      if (pieces === 1) {
        socket.end(body);
        return;
      }
      const size = Math.ceil(body.length / pieces);
      for (let i = 0; i < pieces; i++) {
        await new Promise((r) => setTimeout(r, 20));
        if (socket.destroyed) return;
        socket.write(body.slice(i * size, (i + 1) * size));
      }
      socket.end();
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

describe('a request the HTTP parser cannot read', () => {
  it('gets a 400 envelope, not a reset, while a large body is still on its way', async () => {
    const body = JSON.stringify([{ op: 'replace', path: '/traits', value: 'x'.repeat(400_000) }]);
    // With the body right behind the head, Node reports the broken request once per piece it
    // reads: only the first report may answer, or the later ones reset the connection.
    for (const [base, pieces] of [
      [tessera.publicUrl, 1],
      [tessera.adminUrl, 1],
      [tessera.publicUrl, 4],
    ] as const) {
      const head =
        `PATCH /admin/identities/\u00eb\u00cf HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const answer = await rawExchange(base, head, body, pieces);
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: number } };
      expect(json.error.code).toBe(400);
    }
  });

  it('answers an oversized header block with 431', async () => {
    const head = `GET /health/alive HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const answer = await rawExchange(tessera.publicUrl, head, '');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  });

  it('keeps serving afterwards', async () => {
    expect((await fetch(`${tessera.publicUrl}/health/alive`)).status).toBe(200);
  });
});
