// Nango's Connect UI, opened with @nangohq/frontend for a connect session the server created.
// The server answers Nango's connect link (Connect UI's URL with the session token) and Nango's
// API URL; the SDK wants Connect UI's base URL (it loads it in an iframe and sends the token by
// postMessage) and the API URL that page calls.

import Nango from '@nangohq/frontend';
import type { ConnectUIEvent } from '@nangohq/frontend';
import type { CrmConnectSession } from '../api/types';

/// Connect UI's base URL from a connect link: the link without its query (the token) or fragment.
export function connectUiBaseUrl(connectLink: string): string {
  const url = new URL(connectLink);
  url.search = '';
  url.hash = '';
  return url.toString();
}

/// The connection a person made in Connect UI.
export interface NangoConnected {
  connectionId: string;
  providerConfigKey: string;
}

/// Opens Connect UI for the session; calls onConnected when the person finished and onClosed
/// when the UI closed (after a connection or without one).
export function openConnectUi(
  session: CrmConnectSession,
  handlers: { onConnected(connection: NangoConnected): void; onClosed(): void; onError(message: string): void },
): { close(): void } {
  const nango = new Nango({ host: session.api_url, connectSessionToken: session.token });
  return nango.openConnectUI({
    baseURL: connectUiBaseUrl(session.connect_url),
    apiURL: session.api_url,
    onEvent: (event: ConnectUIEvent) => {
      if (event.type === 'connect') handlers.onConnected(event.payload);
      else if (event.type === 'close') handlers.onClosed();
      else if (event.type === 'error') handlers.onError(event.payload.errorMessage);
    },
  });
}
