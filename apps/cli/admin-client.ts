/** A minimal client for the admin API, for the CLI: JSON in, JSON out, errors as one line. */
export class AdminApiError extends Error {}

export interface AdminClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** `apiKey`: sent as `Authorization: Bearer` when the server has `serve.admin.api_keys`. */
export function adminClient(endpoint: string, apiKey?: string): AdminClient {
  let base: URL;
  try {
    base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  } catch {
    throw new AdminApiError(`the endpoint "${endpoint}" is not a URL`);
  }
  return {
    async request(method, path, body) {
      const url = new URL(`admin/${path}`, base);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new AdminApiError(`cannot reach ${url.origin}: ${(error as Error).cause ?? error}`);
      }
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}

/** The envelope's reason (or message) of a failed call, for one line on stderr. */
export function failure(status: number, body: unknown): string {
  const error = (body as { error?: { message?: string; reason?: string } } | null)?.error;
  return `${status}: ${error?.reason ?? error?.message ?? 'request failed'}`;
}
