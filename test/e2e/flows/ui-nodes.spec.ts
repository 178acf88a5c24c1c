import type { LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  bodyOf,
  fetchFlow,
  initBrowserFlow,
  normalised,
  startFlowServer,
  type FlowServer,
} from '../../support/self-service.js';

// The forms a UI renders, pinned: any drift in node order, attributes, labels or messages shows here.

let server: FlowServer;

beforeAll(async () => {
  // These tests are about the one-step form; profile_first has its own spec (registration-profile-first).
  server = await startFlowServer({ SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified' });
});

afterAll(async () => {
  await server?.stop();
});

async function browserFlow<T>(kind: 'login' | 'registration'): Promise<T> {
  const jar = new CookieJar();
  const { flowId } = await initBrowserFlow(jar, server.publicUrl, kind, {
    return_to: 'https://app.example/ok/snap',
  });
  const { response, body } = await fetchFlow(jar, server.publicUrl, kind, flowId);
  expect(response.status).toBe(200);
  assertMatchesContract(kind === 'login' ? 'loginFlow' : 'registrationFlow', body);
  return body as T;
}

describe('a new browser login flow', () => {
  it('has this shape', async () => {
    const flow = await browserFlow<LoginFlow>('login');
    expect(normalised(flow, server.publicUrl)).toMatchInlineSnapshot(`
      {
        "created_at": "<time>",
        "expires_at": "<time>",
        "id": "<uuid>",
        "issued_at": "<time>",
        "organization_id": null,
        "refresh": false,
        "request_url": "<public>/self-service/login/browser?return_to=https%3A%2F%2Fapp.example%2Fok%2Fsnap",
        "requested_aal": "aal1",
        "return_to": "https://app.example/ok/snap",
        "state": "choose_method",
        "type": "browser",
        "ui": {
          "action": "<public>/self-service/login?flow=<uuid>",
          "method": "POST",
          "nodes": [
            {
              "attributes": {
                "disabled": false,
                "name": "csrf_token",
                "node_type": "input",
                "required": true,
                "type": "hidden",
                "value": "<csrf_token>",
              },
              "group": "default",
              "messages": [],
              "meta": {},
              "type": "input",
            },
            {
              "attributes": {
                "disabled": false,
                "name": "identifier",
                "node_type": "input",
                "required": true,
                "type": "text",
                "value": "",
              },
              "group": "default",
              "messages": [],
              "meta": {
                "label": {
                  "context": {
                    "name": "traits.email",
                    "title": "E-Mail",
                  },
                  "id": 1070002,
                  "text": "E-Mail",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "autocomplete": "current-password",
                "disabled": false,
                "name": "password",
                "node_type": "input",
                "required": true,
                "type": "password",
              },
              "group": "password",
              "messages": [],
              "meta": {
                "label": {
                  "id": 1070001,
                  "text": "Password",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "disabled": false,
                "name": "method",
                "node_type": "input",
                "type": "submit",
                "value": "password",
              },
              "group": "password",
              "messages": [],
              "meta": {
                "label": {
                  "id": 1010022,
                  "text": "Sign in with password",
                  "type": "info",
                },
              },
              "type": "input",
            },
          ],
        },
        "updated_at": "<time>",
      }
    `);
  });
});

describe('a new browser registration flow', () => {
  it('has this shape', async () => {
    const flow = await browserFlow<RegistrationFlow>('registration');
    expect(normalised(flow, server.publicUrl)).toMatchInlineSnapshot(`
      {
        "expires_at": "<time>",
        "id": "<uuid>",
        "issued_at": "<time>",
        "organization_id": null,
        "request_url": "<public>/self-service/registration/browser?return_to=https%3A%2F%2Fapp.example%2Fok%2Fsnap",
        "return_to": "https://app.example/ok/snap",
        "state": "choose_method",
        "type": "browser",
        "ui": {
          "action": "<public>/self-service/registration?flow=<uuid>",
          "method": "POST",
          "nodes": [
            {
              "attributes": {
                "disabled": false,
                "name": "csrf_token",
                "node_type": "input",
                "required": true,
                "type": "hidden",
                "value": "<csrf_token>",
              },
              "group": "default",
              "messages": [],
              "meta": {},
              "type": "input",
            },
            {
              "attributes": {
                "autocomplete": "email",
                "disabled": false,
                "name": "traits.email",
                "node_type": "input",
                "required": true,
                "type": "email",
              },
              "group": "default",
              "messages": [],
              "meta": {
                "label": {
                  "context": {
                    "name": "traits.email",
                    "title": "E-Mail",
                  },
                  "id": 1070002,
                  "text": "E-Mail",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "autocomplete": "new-password",
                "disabled": false,
                "name": "password",
                "node_type": "input",
                "required": true,
                "type": "password",
              },
              "group": "password",
              "messages": [],
              "meta": {
                "label": {
                  "id": 1070001,
                  "text": "Password",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "disabled": false,
                "name": "traits.name.first",
                "node_type": "input",
                "type": "text",
              },
              "group": "default",
              "messages": [],
              "meta": {
                "label": {
                  "context": {
                    "name": "traits.name.first",
                    "title": "First Name",
                  },
                  "id": 1070002,
                  "text": "First Name",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "disabled": false,
                "name": "traits.name.last",
                "node_type": "input",
                "type": "text",
              },
              "group": "default",
              "messages": [],
              "meta": {
                "label": {
                  "context": {
                    "name": "traits.name.last",
                    "title": "Last Name",
                  },
                  "id": 1070002,
                  "text": "Last Name",
                  "type": "info",
                },
              },
              "type": "input",
            },
            {
              "attributes": {
                "disabled": false,
                "name": "method",
                "node_type": "input",
                "type": "submit",
                "value": "password",
              },
              "group": "password",
              "messages": [],
              "meta": {
                "label": {
                  "id": 1040001,
                  "text": "Sign up",
                  "type": "info",
                },
              },
              "type": "input",
            },
          ],
        },
      }
    `);
  });
});

describe('an API registration flow after a refused sign-up', () => {
  it('keeps the typed traits and puts the problems on their nodes', async () => {
    const { data: flow } = await server.frontend.createNativeRegistrationFlow();
    const response = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: {
        method: 'password',
        traits: { email: 'snap@', name: { first: 'Ada' } },
        password: 'short',
      },
    });
    expect(response.status).toBe(400);
    const answer = bodyOf<RegistrationFlow>(response);
    expect(normalised(answer.ui.nodes, server.publicUrl)).toMatchInlineSnapshot(`
      [
        {
          "attributes": {
            "disabled": false,
            "name": "csrf_token",
            "node_type": "input",
            "required": true,
            "type": "hidden",
            "value": "",
          },
          "group": "default",
          "messages": [],
          "meta": {},
          "type": "input",
        },
        {
          "attributes": {
            "autocomplete": "email",
            "disabled": false,
            "name": "traits.email",
            "node_type": "input",
            "required": true,
            "type": "email",
            "value": "snap@",
          },
          "group": "default",
          "messages": [
            {
              "context": {
                "value": "snap@",
              },
              "id": 4000040,
              "text": "Enter a valid email address",
              "type": "error",
            },
          ],
          "meta": {
            "label": {
              "context": {
                "name": "traits.email",
                "title": "E-Mail",
              },
              "id": 1070002,
              "text": "E-Mail",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "autocomplete": "new-password",
            "disabled": false,
            "name": "password",
            "node_type": "input",
            "required": true,
            "type": "password",
          },
          "group": "password",
          "messages": [],
          "meta": {
            "label": {
              "id": 1070001,
              "text": "Password",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "traits.name.first",
            "node_type": "input",
            "type": "text",
            "value": "Ada",
          },
          "group": "default",
          "messages": [],
          "meta": {
            "label": {
              "context": {
                "name": "traits.name.first",
                "title": "First Name",
              },
              "id": 1070002,
              "text": "First Name",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "traits.name.last",
            "node_type": "input",
            "type": "text",
          },
          "group": "default",
          "messages": [],
          "meta": {
            "label": {
              "context": {
                "name": "traits.name.last",
                "title": "Last Name",
              },
              "id": 1070002,
              "text": "Last Name",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "method",
            "node_type": "input",
            "type": "submit",
            "value": "password",
          },
          "group": "password",
          "messages": [],
          "meta": {
            "label": {
              "id": 1040001,
              "text": "Sign up",
              "type": "info",
            },
          },
          "type": "input",
        },
      ]
    `);
    expect(answer.ui.messages).toBeUndefined();
  });
});

describe('an API login flow after a wrong password', () => {
  it('keeps the identifier, clears the password and says why', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const response = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier: 'snap@example.org', password: 'nope-nope' },
    });
    expect(response.status).toBe(400);
    const answer = bodyOf<LoginFlow>(response);
    expect(normalised(answer.ui, server.publicUrl)).toMatchInlineSnapshot(`
      {
        "action": "<public>/self-service/login?flow=<uuid>",
        "messages": [
          {
            "id": 4000006,
            "text": "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.",
            "type": "error",
          },
        ],
        "method": "POST",
        "nodes": [
          {
            "attributes": {
              "disabled": false,
              "name": "csrf_token",
              "node_type": "input",
              "required": true,
              "type": "hidden",
              "value": "",
            },
            "group": "default",
            "messages": [],
            "meta": {},
            "type": "input",
          },
          {
            "attributes": {
              "disabled": false,
              "name": "identifier",
              "node_type": "input",
              "required": true,
              "type": "text",
              "value": "snap@example.org",
            },
            "group": "default",
            "messages": [],
            "meta": {
              "label": {
                "context": {
                  "name": "traits.email",
                  "title": "E-Mail",
                },
                "id": 1070002,
                "text": "E-Mail",
                "type": "info",
              },
            },
            "type": "input",
          },
          {
            "attributes": {
              "autocomplete": "current-password",
              "disabled": false,
              "name": "password",
              "node_type": "input",
              "required": true,
              "type": "password",
            },
            "group": "password",
            "messages": [],
            "meta": {
              "label": {
                "id": 1070001,
                "text": "Password",
                "type": "info",
              },
            },
            "type": "input",
          },
          {
            "attributes": {
              "disabled": false,
              "name": "method",
              "node_type": "input",
              "type": "submit",
              "value": "password",
            },
            "group": "password",
            "messages": [],
            "meta": {
              "label": {
                "id": 1010022,
                "text": "Sign in with password",
                "type": "info",
              },
            },
            "type": "input",
          },
        ],
      }
    `);
  });
});
