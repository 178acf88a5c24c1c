// A minimal React app around Ory Elements, unmodified: each page fetches its flow from Tessera with
// Ory's own SDK (@ory/client-fetch) and renders the Elements component for it.
import { Configuration, FrontendApi } from '@ory/client-fetch';
import { Login, Recovery, Registration, Settings, Verification } from '@ory/elements-react/theme';
import '@ory/elements-react/theme/styles.css';
import { createRoot } from 'react-dom/client';

declare global {
  interface Window {
    /** Tessera's public URL, written into the page by the test's static server. */
    TESSERA_URL: string;
  }
}

const sdkUrl = window.TESSERA_URL;
const app = window.location.origin;
const frontend = new FrontendApi(new Configuration({ basePath: sdkUrl, credentials: 'include' }));
const config = {
  sdk: { url: sdkUrl },
  project: {
    name: 'Tessera',
    default_redirect_url: `${app}/welcome`,
    error_ui_url: `${app}/error`,
    login_ui_url: `${app}/login`,
    registration_ui_url: `${app}/registration`,
    recovery_ui_url: `${app}/recovery`,
    verification_ui_url: `${app}/verification`,
    settings_ui_url: `${app}/settings`,
    registration_enabled: true,
    recovery_enabled: true,
    verification_enabled: true,
  },
};

const page = window.location.pathname.slice(1);
const id = new URLSearchParams(window.location.search).get('flow');
const root = createRoot(document.getElementById('root')!);

async function show(): Promise<void> {
  if (!['login', 'registration', 'settings', 'recovery', 'verification'].includes(page)) {
    root.render(<main data-page={page}>{page}</main>);
    return;
  }
  if (!id) {
    window.location.href = `${sdkUrl}/self-service/${page}/browser`;
    return;
  }
  switch (page) {
    case 'login':
      return root.render(<Login flow={await frontend.getLoginFlow({ id })} config={config} />);
    case 'registration':
      return root.render(<Registration flow={await frontend.getRegistrationFlow({ id })} config={config} />);
    case 'settings':
      return root.render(<Settings flow={await frontend.getSettingsFlow({ id })} config={config} />);
    case 'recovery':
      return root.render(<Recovery flow={await frontend.getRecoveryFlow({ id })} config={config} />);
    case 'verification':
      return root.render(<Verification flow={await frontend.getVerificationFlow({ id })} config={config} />);
  }
}

show().catch((error: unknown) => root.render(<pre data-page="failed">{String(error)}</pre>));
