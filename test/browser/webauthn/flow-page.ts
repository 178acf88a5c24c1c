import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A minimal self-service UI: it renders a flow's ui nodes as one HTML form, loads the script
 * nodes (Tessera's webauthn.js) and wires trigger buttons to `window.__<onclickTrigger>()`, as
 * Ory Elements does. The test hands it the flow JSON.
 */
export const FLOW_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>flow</title></head>
<body>
<script>
window.renderFlow = function (flow) {
  var form = document.createElement('form');
  form.method = flow.ui.method;
  form.action = flow.ui.action;
  flow.ui.nodes.forEach(function (node) {
    var a = node.attributes;
    if (node.type === 'script') {
      var s = document.createElement('script');
      s.src = a.src; s.integrity = a.integrity; s.crossOrigin = a.crossorigin;
      s.referrerPolicy = a.referrerpolicy; s.async = true; s.id = a.id;
      document.head.appendChild(s);
      return;
    }
    if (node.type !== 'input') return;
    if (a.type === 'button') {
      var b = document.createElement('button');
      b.type = 'button'; b.name = a.name; b.value = a.value || '';
      b.textContent = node.meta.label ? node.meta.label.text : a.name;
      b.addEventListener('click', function () { window['__' + a.onclickTrigger](); });
      form.appendChild(b);
      return;
    }
    var input = document.createElement('input');
    input.name = a.name; input.type = a.type;
    if (a.value !== undefined && a.value !== null) input.value = String(a.value);
    form.appendChild(input);
  });
  document.body.appendChild(form);
};
</script>
</body></html>`;

/** What the page has on `globalThis` (the project compiles without the DOM library). */
interface PageGlobals {
  renderFlow(flow: unknown): void;
  __oryPasskeyLogin?: unknown;
  captured?: boolean;
  HTMLFormElement: { prototype: { submit(): void } };
}

export interface UiFlow {
  id: string;
  ui: {
    action: string;
    method: string;
    nodes: { type: string; group: string; attributes: Record<string, unknown> }[];
    messages?: { id: number }[];
  };
}

/** Chromium's virtual authenticator: a platform authenticator with resident keys and UV. */
export async function addVirtualAuthenticator(
  page: Page,
  session?: CDPSession,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = session ?? (await page.context().newCDPSession(page));
  if (!session) await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Puts a resident key Tessera never saw into the authenticator, for the given user handle. */
export async function addForeignPasskey(
  cdp: CDPSession,
  authenticatorId: string,
  rpId: string,
  userHandle: Buffer = randomBytes(64),
): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: randomBytes(32).toString('base64'),
      isResidentCredential: true,
      rpId,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      userHandle: userHandle.toString('base64'),
      signCount: 0,
    },
  });
}

export class FlowUi {
  constructor(
    readonly page: Page,
    readonly tessera: string,
  ) {}

  get context(): BrowserContext {
    return this.page.context();
  }

  /** Follows a flow's browser init link to the UI page and renders the flow found there. */
  async open(kind: string, query = ''): Promise<UiFlow> {
    await this.page.goto(`${this.tessera}/self-service/${kind}/browser${query}`);
    return this.renderCurrent(kind);
  }

  /** Renders the flow named in the current UI URL (`?flow=`), fetched with the browser's cookies. */
  async renderCurrent(kind: string): Promise<UiFlow> {
    const id = new URL(this.page.url()).searchParams.get('flow');
    expect(id, `no flow in ${this.page.url()}`).toBeTruthy();
    const flow = await this.fetchFlow(kind, id!);
    await this.page.evaluate((f) => (globalThis as unknown as PageGlobals).renderFlow(f), flow);
    if (flow.ui.nodes.some((n) => n.type === 'script')) {
      await this.page.waitForFunction(
        () => typeof (globalThis as unknown as PageGlobals).__oryPasskeyLogin === 'function',
      );
    }
    return flow;
  }

  async fetchFlow(kind: string, id: string): Promise<UiFlow> {
    const response = await this.page.request.get(`${this.tessera}/self-service/${kind}/flows?id=${id}`, {
      headers: { Accept: 'application/json' },
    });
    expect(response.status()).toBe(200);
    return (await response.json()) as UiFlow;
  }

  /** Clicks and waits for the navigation the form post causes (303 to the next page). */
  async clickAndWait(selector: string): Promise<void> {
    await Promise.all([this.page.waitForEvent('framenavigated'), this.page.click(selector)]);
    await this.page.waitForLoadState('load');
  }

  async whoami(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.page.request.get(`${this.tessera}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
  }

  async logout(): Promise<void> {
    const start = await this.page.request.get(`${this.tessera}/self-service/logout/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(start.status()).toBe(200);
    const { logout_url } = (await start.json()) as { logout_url: string };
    await this.page.goto(logout_url);
    expect((await this.whoami()).status).toBe(401);
  }

  /**
   * Lets webauthn.js do its work but keeps the form from being posted: returns the value it wrote
   * into the hidden input, so a test can post it itself (and again).
   */
  async captureInsteadOfSubmit(trigger: string, resultName: string): Promise<string> {
    await this.page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      page.HTMLFormElement.prototype.submit = () => {
        page.captured = true;
      };
    });
    await this.page.click(`[name="${trigger}"]`);
    await this.page.waitForFunction(() => (globalThis as unknown as PageGlobals).captured === true);
    return this.page.$eval(`[name="${resultName}"]`, (el) => (el as unknown as { value: string }).value);
  }
}
