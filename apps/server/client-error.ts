import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from '../../libs/errors/index.js';

/** How long a refused connection may go on sending before it is cut. */
const LINGER_MS = 2_000;

function statusOf(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Requests Node's HTTP parser cannot read (a raw byte in the path, a broken header) get the
 * contract's error envelope, and the connection closes gracefully: the answer is sent, then what
 * the client still sends is read and dropped for a moment. Node's default destroys the socket at
 * once, so a client still sending its body gets a reset instead of the answer.
 */
export function answerUnparsableRequests(server: Server): void {
  // Node reports the same broken request again as more of it arrives; the first answer stands, and
  // destroying the socket then would reset the connection before the client has read it.
  const answered = new WeakSet<Socket>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (answered.has(socket)) return;
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const status = statusOf(error);
    const body = JSON.stringify(new ApiError(status).envelope());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}
