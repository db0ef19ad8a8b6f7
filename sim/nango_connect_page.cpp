// The simulated Nango Connect UI: the page @nangohq/frontend's openConnectUI() loads in an iframe
// (its baseURL), or a connect link opens on its own. It speaks the SDK's postMessage protocol:
// "ready" to the parent, "session_token" back, then "connect" {providerConfigKey, connectionId}
// and "close". Instead of the provider's OAuth consent it asks for the account (a HubSpot portal
// id or a Salesforce org id) and posts it to /connect/sim/connections with the session token.
#include "nango_state.hpp"

namespace tenantsync::sim::nango {

std::string connect_page_html() {
  return R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Connect (simulated Nango)</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: rgba(15, 23, 42, 0.45); }
  main { background: #fff; max-width: 26rem; margin: 10vh auto; padding: 1.5rem; border-radius: 0.5rem; }
  label { display: block; margin-top: 0.75rem; font-weight: 600; }
  input, select { width: 100%; box-sizing: border-box; padding: 0.4rem; margin-top: 0.25rem; }
  .actions { margin-top: 1rem; display: flex; gap: 0.5rem; }
  .error { color: #b91c1c; }
</style>
</head>
<body>
<main>
  <h1>Connect an integration</h1>
  <p id="status" role="status">Waiting for the connect session…</p>
  <form id="form" hidden>
    <label for="integration">Integration</label>
    <select id="integration"></select>
    <label for="account" id="account-label">Account</label>
    <input id="account" autocomplete="off">
    <div class="actions">
      <button type="submit" id="authorize">Authorize</button>
      <button type="button" id="cancel">Cancel</button>
    </div>
  </form>
</main>
<script>
(() => {
  const params = new URLSearchParams(location.search);
  const api = (params.get('apiURL') || location.origin).replace(/\/+$/, '');
  const embedded = window.parent !== window;
  const send = (message) => { if (embedded) window.parent.postMessage(message, '*'); };
  const $ = (id) => document.getElementById(id);
  const labels = { hubspot: 'HubSpot portal id', salesforce: 'Salesforce org id' };
  let token = null;

  function show(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function relabel() {
    $('account-label').textContent = labels[$('integration').value] || 'Account';
  }

  async function start(sessionToken) {
    if (token || !sessionToken) return;
    token = sessionToken;
    const res = await fetch(api + '/connect/session', { headers: { authorization: 'Bearer ' + token } });
    if (!res.ok) {
      show('This connect session has expired or is not valid.', true);
      send({ type: 'error', payload: { errorType: 'missing_connect_session_token', errorMessage: 'invalid session' } });
      return;
    }
    const { data } = await res.json();
    for (const key of data.allowed_integrations || ['hubspot', 'salesforce']) {
      const option = document.createElement('option');
      option.value = key;
      option.textContent = key;
      $('integration').append(option);
    }
    relabel();
    show('Choose the account to connect.', false);
    $('form').hidden = false;
  }

  $('integration').addEventListener('change', relabel);
  $('cancel').addEventListener('click', () => send({ type: 'close' }));
  $('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('integration').value;
    const body = { provider_config_key: key };
    body[key === 'hubspot' ? 'portal_id' : 'org_id'] = $('account').value.trim();
    $('authorize').disabled = true;
    const res = await fetch(api + '/connect/sim/connections', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    $('authorize').disabled = false;
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) {
      const message = answer.error?.errors?.[0]?.message || answer.error?.message || 'The connection failed.';
      show(message, true);
      send({ type: 'error', payload: { errorType: 'connection_test_failed', errorMessage: message } });
      return;
    }
    show('Connected.', false);
    $('form').hidden = true;
    send({ type: 'connect', payload: { providerConfigKey: answer.providerConfigKey, connectionId: answer.connectionId } });
    send({ type: 'close' });
  });

  window.addEventListener('message', (event) => {
    if (event.source === window.parent && event.data && event.data.type === 'session_token') {
      start(event.data.sessionToken);
    }
  });
  send({ type: 'ready' });
  start(params.get('session_token'));
})();
</script>
</body>
</html>
)html";
}

}  // namespace tenantsync::sim::nango
