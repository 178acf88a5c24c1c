import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { type ConfigService } from '../../../libs/config/index.js';
import {
  CsrfTokens,
  FlowFactory,
  FlowRepository,
  LoginFlowEntity,
  nodeNamed,
  RecoveryFlowEntity,
  RegistrationFlowEntity,
  type SelfServiceFlow,
  sha256,
} from '../../../libs/flow/index.js';
import { Clock } from '../../../libs/persistence/index.js';
import { CookieSettings } from '../../../libs/session/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

const config = {
  get: (path: string) => (path === 'secrets.cookie' ? ['cookie-secret-of-sixteen+'] : undefined),
  duration: () => 3_600_000,
  url: (_port: string, path: string) => `http://127.0.0.1:4433/${path}`,
  listen: () => ({ baseUrl: new URL('http://127.0.0.1:4433/') }),
} as unknown as ConfigService;
const cookies = new CookieSettings(config);
const csrf = new CsrfTokens(config, cookies);
const factory = new FlowFactory(config, new Clock(), csrf);

/** A request from the browser whose CSRF cookie holds `token`. */
const browser = (token: string) =>
  ({
    header: (name: string) =>
      name === 'cookie' ? `${csrf.cookieName}=${encodeURIComponent(cookies.sign(token))}` : undefined,
  }) as unknown as Request;

const csrfValue = (flow: SelfServiceFlow) => String(nodeNamed(flow.ui, 'csrf_token')!.attributes['value']);

// A flow row holds the hash its browser is bound to, never the token: a masked token unmasks to
// the browser's CSRF cookie. The token is masked anew for each answer, from the browser's cookie.
describe.each(TEST_DATABASES)('CSRF tokens of stored flows on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  async function rawRow(table: string, id: string): Promise<Record<string, unknown>> {
    const param = database.dialect === 'postgres' ? '$1' : '?';
    const rows = (await fresh.dataSource.query(`SELECT * FROM ${table} WHERE id = ${param}`, [id])) as Record<
      string,
      unknown
    >[];
    return rows[0]!;
  }

  it('stores only the hash; the answer carries a masked token that still validates', async () => {
    const flows = new FlowRepository(fresh.db, LoginFlowEntity);
    const token = randomBytes(32).toString('base64');
    const flow = factory.fill(new LoginFlowEntity(), 'login', {
      type: 'browser',
      requestUrl: 'http://127.0.0.1:4433/self-service/login/browser',
      returnTo: null,
      csrfToken: token,
    });
    Object.assign(flow, { refresh: false, requestedAal: 'aal1' });
    const answered = csrfValue(flow);
    expect(answered).toHaveLength(88);
    await flows.insert(flow);
    // The flow in hand keeps its token for the answer being written.
    expect(csrfValue(flow)).toBe(answered);

    const row = await rawRow('selfservice_login_flows', flow.id);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(answered);
    expect(stored).not.toContain(token);
    expect(row['csrf_token_hash']).toBe(sha256(token));
    expect(JSON.parse(String(row['ui'])).nodes[0].attributes).toMatchObject({
      name: 'csrf_token',
      value: '',
    });

    const read = (await flows.findById(flow.id))!;
    expect(csrfValue(read)).toBe('');
    const cookieToken = csrf.verifyCookieOnly(browser(token), read.csrfTokenHash);
    const shown = csrfValue(csrf.present(read, cookieToken));
    expect(shown).not.toBe(answered);
    expect(csrf.verify(browser(token), read.csrfTokenHash, shown)).toBe(token);
    expect(csrf.verify(browser(token), read.csrfTokenHash, answered)).toBe(token);

    // Written again after the answer, the row still holds no token.
    await flows.update(read);
    expect(JSON.stringify(await rawRow('selfservice_login_flows', flow.id))).not.toContain(shown);
  });

  it('gives another browser, and an API flow, an empty token', async () => {
    const token = randomBytes(32).toString('base64');
    const flow = factory.fill(new RegistrationFlowEntity(), 'registration', {
      type: 'browser',
      requestUrl: 'http://127.0.0.1:4433/self-service/registration/browser',
      returnTo: null,
      csrfToken: token,
    });
    expect(csrfValue(csrf.present(flow, randomBytes(32).toString('base64')))).toBe('');
    const api = factory.fill(new RegistrationFlowEntity(), 'registration', {
      type: 'api',
      requestUrl: 'http://127.0.0.1:4433/self-service/registration/api',
      returnTo: null,
    });
    expect(api.csrfTokenHash).toBe('');
    expect(csrfValue(csrf.present(api, token))).toBe('');
    await new FlowRepository(fresh.db, RegistrationFlowEntity).insert(flow);
    expect(JSON.stringify(await rawRow('selfservice_registration_flows', flow.id))).not.toContain(token);
  });

  it('refuses to make a browser flow bound to no browser, and refuses submissions to one', () => {
    const unbound = () =>
      factory.fill(new LoginFlowEntity(), 'login', {
        type: 'browser',
        requestUrl: 'http://127.0.0.1:4433/self-service/login/browser',
        returnTo: null,
      });
    expect(unbound).toThrow(/bound/);
    const admin = factory.fill(new LoginFlowEntity(), 'login', {
      type: 'browser',
      requestUrl: 'http://127.0.0.1:4433/self-service/recovery/browser',
      returnTo: null,
      boundOnOpen: true,
    });
    expect(admin.csrfTokenHash).toBe('');
    const token = randomBytes(32).toString('base64');
    expect(() => csrf.verify(browser(token), admin.csrfTokenHash, csrf.mask(token))).toThrow(
      expect.objectContaining({ init: expect.objectContaining({ id: 'security_csrf_violation' }) }),
    );
  });

  it('binds a flow made for no browser to the first browser that opens it, once', async () => {
    const flows = new FlowRepository(fresh.db, RecoveryFlowEntity);
    const flow = factory.fill(new RecoveryFlowEntity(), 'recovery', {
      type: 'browser',
      requestUrl: 'http://127.0.0.1:4433/self-service/recovery/browser',
      returnTo: null,
      boundOnOpen: true,
    });
    flow.submitCount = 0;
    await flows.insert(flow);
    const first = sha256('first browser');
    expect(await flows.bindToBrowser(flow.id, first)).toBe(true);
    expect(await flows.bindToBrowser(flow.id, sha256('second browser'))).toBe(false);
    expect((await flows.findById(flow.id))!.csrfTokenHash).toBe(first);
  });
});
