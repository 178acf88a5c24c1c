import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A server-rendered self-service UI in the role of Ory's kratos-selfservice-ui-node: configured as
 * Tessera's `selfservice.flows.*.ui_url`, it fetches each flow by id from Tessera's public API on
 * the server side (forwarding the browser's cookies, as the reference UI does) and renders its
 * `ui.nodes` as plain HTML forms that the browser posts itself (urlencoded, no JavaScript except
 * the WebAuthn triggers). Like the reference UI it renders one form per flow, and on the settings
 * page one form per method group with the flow's hidden default fields (csrf_token).
 */

export const FLOW_KINDS = ['login', 'registration', 'settings', 'recovery', 'verification'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

interface UiText {
  id: number;
  text: string;
  type: string;
  context?: Record<string, unknown>;
}

interface UiNode {
  type: string;
  group: string;
  attributes: Record<string, unknown>;
  messages: UiText[];
  meta: { label?: UiText };
}

interface Flow {
  id: string;
  state?: string;
  ui: { action: string; method: string; nodes: UiNode[]; messages?: UiText[] };
}

export interface ReferenceUi {
  /** `http://<host>:<port>`, as the browser reaches the UI. */
  origin: string;
  url(path: string): string;
  /**
   * Where Tessera is: `browser` is its public base URL as the browser sees it (init links),
   * `server` where this UI's server fetches flows (may be another address of the same process).
   */
  useTessera(tessera: { browser: string; server: string }): void;
  close(): Promise<void>;
}

function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const attr = (name: string, value: unknown) =>
  value === undefined || value === null || value === false
    ? ''
    : value === true
      ? ` ${name}`
      : ` ${name}="${escapeHtml(value)}"`;

/** A ui text as the reference UI shows it; the id rides along so a test can name what it saw. */
function message(text: UiText): string {
  return `<p class="message"${attr('data-message-id', text.id)}${attr('data-type', text.type)}>${escapeHtml(text.text)}</p>`;
}

/** Elements' `triggerToWindowCall`: calls `window.__<trigger>()`, waiting for webauthn.js to load. */
const TRIGGER_SCRIPT = `<script>
function oryTrigger(name) {
  var tries = 0;
  (function call() {
    var fn = window['__' + name];
    if (typeof fn === 'function') return fn();
    if (++tries > 100) throw new Error('webauthn.js did not load');
    setTimeout(call, 100);
  })();
}
</script>`;

function label(node: UiNode): string {
  return node.meta.label?.text ?? '';
}

function inputNode(node: UiNode): string {
  const a = node.attributes;
  const type = String(a['type']);
  const messages = node.messages.map(message).join('');
  if (type === 'hidden') {
    const onload = a['onloadTrigger']
      ? `<script>window.addEventListener('load', function () { oryTrigger(${JSON.stringify(String(a['onloadTrigger']))}); });</script>`
      : '';
    return `<input type="hidden"${attr('name', a['name'])}${attr('value', a['value'] ?? '')}>${onload}${messages}`;
  }
  if (type === 'submit' || type === 'button') {
    const trigger = a['onclickTrigger'] ? `oryTrigger(${JSON.stringify(String(a['onclickTrigger']))})` : '';
    // Only the password button needs the password typed: another method's button (a code, a
    // passkey, `screen=previous`) posts the form without the browser asking for it first.
    const novalidate = node.group !== 'password' && node.group !== 'default';
    return (
      `<div class="button"><button${attr('type', type)}${attr('name', a['name'])}${attr('value', a['value'] ?? '')}` +
      `${attr('formnovalidate', novalidate)}` +
      `${attr('onclick', trigger || undefined)}${attr('disabled', a['disabled'] === true)}>` +
      `${escapeHtml(label(node))}</button>${messages}</div>`
    );
  }
  if (type === 'checkbox') {
    return (
      `<label><input type="checkbox"${attr('name', a['name'])} value="true"${attr('checked', a['value'] === true)}>` +
      ` ${escapeHtml(label(node))}</label>${messages}`
    );
  }
  return (
    `<label class="field"><span>${escapeHtml(label(node))}</span>` +
    `<input${attr('type', type)}${attr('name', a['name'])}${attr('value', a['value'])}` +
    `${attr('required', a['required'] === true)}${attr('autocomplete', a['autocomplete'])}` +
    `${attr('pattern', a['pattern'])}${attr('maxlength', a['maxlength'])}${attr('disabled', a['disabled'] === true)}>` +
    `</label>${messages}`
  );
}

/** Text nodes as Elements shows them: lookup codes (1050015) one per line, used ones struck out. */
function textNode(node: UiNode): string {
  const a = node.attributes as { id: string; text: UiText };
  const secrets = (a.text.context?.['secrets'] as UiText[] | undefined) ?? [];
  const body =
    a.text.id === 1050015
      ? secrets
          .map((secret) =>
            secret.id === 1050014
              ? '<pre><del class="lookup-code">Used</del></pre>'
              : `<pre><code class="lookup-code">${escapeHtml(secret.text)}</code></pre>`,
          )
          .join('')
      : `<pre><code>${escapeHtml(a.text.text)}</code></pre>`;
  return `<div class="text"${attr('id', a.id)}><span>${escapeHtml(label(node))}</span>${body}</div>`;
}

function renderNode(node: UiNode): string {
  const a = node.attributes;
  switch (node.type) {
    case 'input':
      return inputNode(node);
    case 'img':
      return `<figure><img${attr('id', a['id'])}${attr('src', a['src'])}${attr('width', a['width'])}${attr('height', a['height'])}${attr('alt', label(node))}><figcaption>${escapeHtml(label(node))}</figcaption></figure>`;
    case 'text':
      return textNode(node);
    case 'a':
      return `<a${attr('id', a['id'])}${attr('href', a['href'])}>${escapeHtml((a['title'] as UiText | undefined)?.text)}</a>`;
    case 'script':
      return (
        `<script${attr('src', a['src'])}${attr('type', a['type'])}${attr('integrity', a['integrity'])}` +
        `${attr('referrerpolicy', a['referrerpolicy'])}${attr('crossorigin', a['crossorigin'])}` +
        `${attr('nonce', a['nonce'])}${attr('id', a['id'])} async></script>`
      );
    default:
      return '';
  }
}

function form(flow: Flow, nodes: UiNode[], id?: string): string {
  return (
    `<form${attr('id', id)}${attr('action', flow.ui.action)}${attr('method', flow.ui.method)}>` +
    `${nodes.map(renderNode).join('\n')}</form>`
  );
}

/** The settings page: one form per method group, each with the hidden default fields. */
function settingsForms(flow: Flow): string {
  const hiddenDefaults = flow.ui.nodes.filter(
    (n) => n.group === 'default' && n.type === 'input' && n.attributes['type'] === 'hidden',
  );
  const groups = [...new Set(flow.ui.nodes.map((n) => n.group))].filter((g) => g !== 'default');
  return groups
    .map((group) => {
      const own = flow.ui.nodes.filter((n) => n.group === group);
      const isButton = (n: UiNode) =>
        n.type === 'input' && ['submit', 'button'].includes(String(n.attributes['type']));
      const ordered = [...own.filter((n) => !isButton(n)), ...own.filter(isButton)];
      return `<section${attr('id', `settings-${group}`)}><h2>${escapeHtml(group)}</h2>${form(flow, [...hiddenDefaults, ...ordered], `form-${group}`)}</section>`;
    })
    .join('\n');
}

function renderFlowPage(kind: FlowKind, flow: Flow, session: string): string {
  const body = kind === 'settings' ? settingsForms(flow) : form(flow, flow.ui.nodes, `form-${kind}`);
  return page(
    kind,
    `<h1>${escapeHtml(kind)}</h1>${session}<div class="messages">${(flow.ui.messages ?? []).map(message).join('')}</div>${body}`,
  );
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${TRIGGER_SCRIPT}</head>` +
    `<body>${body}</body></html>`
  );
}

export async function startReferenceUi(host = '127.0.0.1'): Promise<ReferenceUi> {
  let tessera: { browser: string; server: string } | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`reference UI failed: ${String(error)}`);
    });
  });

  /** A call to Tessera's public API from this server, carrying the browser's cookies. */
  async function api(req: IncomingMessage, path: string) {
    const response = await fetch(`${tessera!.server}${path}`, {
      headers: { Accept: 'application/json', ...(req.headers.cookie ? { Cookie: req.headers.cookie } : {}) },
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  const send = (res: ServerResponse, status: number, html: string): void => {
    res
      .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(html);
  };
  const redirect = (res: ServerResponse, location: string): void => {
    res.writeHead(303, { Location: location }).end();
  };

  /** Who is signed in, as a line on every page; and a sign-out link as the reference UI's nav has. */
  async function sessionLine(req: IncomingMessage): Promise<string> {
    const whoami = await api(req, '/sessions/whoami');
    if (whoami.status === 403) {
      const to = String(whoami.body['redirect_browser_to'] ?? '');
      return `<p id="session" data-state="aal2_required">A second factor is required. <a${attr('href', to)}>Continue</a></p>`;
    }
    if (whoami.status !== 200) return '<p id="session" data-state="signed_out">Not signed in.</p>';
    const identity = whoami.body['identity'] as { traits: { email?: string } };
    const aal = String(whoami.body['authenticator_assurance_level']);
    const logout = await api(req, '/self-service/logout/browser');
    const logoutUrl = String(logout.body['logout_url'] ?? '');
    return (
      `<p id="session" data-state="signed_in"${attr('data-aal', aal)}>Signed in as ` +
      `<span id="session-email">${escapeHtml(identity.traits.email)}</span> (${escapeHtml(aal)}). ` +
      `<a id="logout"${attr('href', logoutUrl)}>Sign out</a></p>`
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tessera) return send(res, 503, page('starting', 'not ready'));
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    const kind = url.pathname.slice(1);
    if (kind === 'welcome')
      return send(res, 200, page('welcome', `<h1>Welcome</h1>${await sessionLine(req)}`));
    if (kind === 'error') {
      const error = await api(
        req,
        `/self-service/errors?id=${encodeURIComponent(url.searchParams.get('id') ?? '')}`,
      );
      const shown = (error.body['error'] ?? {}) as Record<string, unknown>;
      return send(
        res,
        200,
        page(
          'error',
          `<h1>Error</h1><p class="error"${attr('data-error-id', shown['id'])}${attr('data-status', shown['code'])}>` +
            `${escapeHtml(shown['message'])} ${escapeHtml(shown['reason'])}</p>`,
        ),
      );
    }
    if (!(FLOW_KINDS as readonly string[]).includes(kind))
      return send(res, 404, page('not found', 'not found'));

    // No flow yet: start one at Tessera, passing on the query (aal, refresh, return_to).
    const init = `${tessera.browser}/self-service/${kind}/browser`;
    const flowId = url.searchParams.get('flow');
    if (!flowId) return redirect(res, `${init}${url.search}`);

    const fetched = await api(req, `/self-service/${kind}/flows?id=${encodeURIComponent(flowId)}`);
    if (fetched.status !== 200) {
      // The reference UI's redirectOnSoftError: where Tessera points, else a new flow.
      const error = (fetched.body['error'] ?? {}) as Record<string, unknown>;
      const to =
        fetched.body['redirect_browser_to'] ??
        (error['details'] as Record<string, unknown>)?.['redirect_browser_to'];
      if (typeof to === 'string') return redirect(res, to);
      if ([403, 404, 410].includes(fetched.status)) return redirect(res, init);
      return send(
        res,
        200,
        page(
          'error',
          `<h1>Error</h1><p class="error"${attr('data-error-id', error['id'])}>${escapeHtml(error['message'])}</p>`,
        ),
      );
    }
    send(res, 200, renderFlowPage(kind as FlowKind, fetched.body as unknown as Flow, await sessionLine(req)));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    useTessera(given) {
      tessera = given;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
