import type { UiNode } from '@ory/kratos-client';
import { expect } from 'vitest';
import { type CookieJar } from './cookie-jar.js';

interface RenderedFlow {
  ui: { action: string; nodes: UiNode[] };
}

export interface HtmlFormSubmission {
  /** The node groups the form holds, as the reference UIs split a page into forms; all when left out. */
  groups?: string[];
  /** What the user typed, by field name; other inputs send the value the node carries. */
  fill?: Record<string, string>;
  /** The submit button the user clicked: its name, and its value when several share the name. */
  click: { name: string; value?: string };
}

type InputAttributes = { name: string; type: string; value?: unknown };

/**
 * What a browser sends for an HTML form rendered from a flow's `ui.nodes` as Kratos' reference
 * UIs render them: every input of the form in node order, hidden ones included, and of the
 * submit buttons only the clicked one. So a code form sends `method` twice: its hidden input
 * and its button.
 */
export function htmlFormFields(flow: RenderedFlow, { groups, fill = {}, click }: HtmlFormSubmission): string {
  const fields = new URLSearchParams();
  let clicked = false;
  for (const node of flow.ui.nodes) {
    if (node.type !== 'input' || (groups && !groups.includes(node.group))) continue;
    const { name, type, value } = node.attributes as InputAttributes;
    if (type === 'submit' || type === 'button') {
      if (clicked || name !== click.name || (click.value !== undefined && String(value) !== click.value))
        continue;
      clicked = true;
      fields.append(name, value === undefined || value === null ? '' : String(value));
    } else if (type !== 'checkbox' || fill[name] !== undefined) {
      fields.append(name, fill[name] ?? (value === undefined || value === null ? '' : String(value)));
    }
  }
  expect(clicked, `a ${click.name} button in the form`).toBe(true);
  return fields.toString();
}

/** Posts the form to `ui.action` the way a browser does (no JavaScript, `Accept: text/html`). */
export function submitHtmlForm(
  jar: CookieJar,
  flow: RenderedFlow,
  submission: HtmlFormSubmission,
): Promise<Response> {
  return jar.fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: htmlFormFields(flow, submission),
  });
}
