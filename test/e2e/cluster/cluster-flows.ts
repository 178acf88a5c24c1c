import { type Cluster, startCluster } from '../../support/cluster.js';
import { startPwnedRangeServer, type PwnedRangeServer } from '../../support/pwned-range-server.js';
import {
  DEFAULT_RETURN_URL,
  ERROR_UI,
  LOGIN_UI,
  REGISTRATION_UI,
  UI_BASE,
} from '../../support/self-service.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

export const SETTINGS_UI = `${UI_BASE}/settings`;
export const RECOVERY_UI = `${UI_BASE}/recovery`;
export const VERIFICATION_UI = `${UI_BASE}/verification`;

/** Runs only where CI's PostgreSQL/Redis pass runs: replicas need a shared database and Redis. */
export const clusterAvailable = Boolean(
  process.env['TEST_DATABASE_POSTGRES'] && process.env['TEST_REDIS_URL'],
);

export interface FlowCluster extends Cluster {
  sink: SmtpSink;
}

/**
 * Three replicas with every self-service flow on, one mail sink their couriers deliver to (each
 * replica also runs a courier worker: with Redis the mail is queued), and loopback trusted as a
 * proxy so a test can speak for many client addresses. Passkeys are on for TEST_RP.
 */
export async function startFlowCluster(env: Record<string, string> = {}): Promise<FlowCluster> {
  const sink = await startSmtpSink();
  let pwned: PwnedRangeServer | undefined;
  try {
    pwned = await startPwnedRangeServer({});
    const cluster = await startCluster({
      args: ['--watch-courier'],
      env: {
        SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_HOST: pwned.host,
        SELFSERVICE_FLOWS_LOGIN_UI_URL: LOGIN_UI,
        SELFSERVICE_FLOWS_REGISTRATION_UI_URL: REGISTRATION_UI,
        SELFSERVICE_FLOWS_ERROR_UI_URL: ERROR_UI,
        SELFSERVICE_FLOWS_SETTINGS_UI_URL: SETTINGS_UI,
        SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
        SELFSERVICE_FLOWS_RECOVERY_UI_URL: RECOVERY_UI,
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_VERIFICATION_UI_URL: VERIFICATION_UI,
        SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: DEFAULT_RETURN_URL,
        SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
        SELFSERVICE_METHODS_TOTP_CONFIG_ISSUER: 'Tessera Cluster',
        ...WEBAUTHN_ENV,
        SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]',
        COURIER_SMTP_CONNECTION_URI: sink.uri,
        COURIER_WORKER_PULL_WAIT: '100ms',
        ...env,
      },
    });
    const stopCluster = cluster.stop;
    const started = pwned;
    return {
      ...cluster,
      sink,
      async stop() {
        await stopCluster();
        await Promise.all([sink.close(), started.close()]);
      },
    };
  } catch (error) {
    await Promise.all([sink.close(), pwned?.close()]);
    throw error;
  }
}
