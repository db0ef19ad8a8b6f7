#!/usr/bin/env bash
# Runs tenantsync from a build folder on SQLite in ./data, with a demo login.
# When TENANTSYNC_BOLNA_URL is not set (no real upstream configured), it also starts the
# upstream simulator with its demo accounts and points tenantsync at it.
#   scripts/demo.sh BUILD_DIR
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p data
export TENANTSYNC_DATABASE_URL=${TENANTSYNC_DATABASE_URL:-sqlite:data/tenantsync.db}
export TENANTSYNC_SECRET_KEY_FILE=${TENANTSYNC_SECRET_KEY_FILE:-data/secret.key}
export TENANTSYNC_WEB_ROOT=${TENANTSYNC_WEB_ROOT:-web/dist}

sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${TENANTSYNC_BOLNA_URL:-}" ] && [ -x "$build/tenantsync-sim" ]; then
  rm -f data/sim.port
  "$build/tenantsync-sim" --listen 127.0.0.1:0 --port-file data/sim.port --seed-demo >data/sim.log 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 100); do [ -s data/sim.port ] && break; sleep 0.1; done
  sim_url="http://127.0.0.1:$(cat data/sim.port)"
  export TENANTSYNC_BOLNA_URL=$sim_url TENANTSYNC_HUBSPOT_URL=$sim_url TENANTSYNC_SALESFORCE_LOGIN_URL=$sim_url \
         TENANTSYNC_NANGO_URL=$sim_url TENANTSYNC_NANGO_SECRET_KEY=${TENANTSYNC_NANGO_SECRET_KEY:-nango-sim-secret}
  # The simulator is on loopback over http, which production refuses (docs/operations.md, Security).
  export TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS=1
  echo "No TENANTSYNC_BOLNA_URL configured: using the upstream simulator at $sim_url"
  echo "  demo Bolna keys: bn-demo-key-1 (3 agents), bn-demo-key-2 (1 agent)"
fi

demo_email=demo@tenantsync.local
demo_password=demo-password
if TENANTSYNC_ADMIN_PASSWORD=$demo_password "$build/tenantsync" admin create-user \
     --email "$demo_email" --tenant Demo --create-tenant >/dev/null 2>&1; then
  echo "Created the demo login."
fi
echo "Demo login: $demo_email / $demo_password"
rm -f data/server.port
"$build/tenantsync" serve --port-file data/server.port &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid; cleanup' INT TERM

# On the simulator, the demo tenant starts connected: the voice key of demo account 1 (3 agents)
# and the demo HubSpot portal, so the dashboard shows data at once. Done through the API, like a
# person would; skipped when already set.
if [ -n "$sim_pid" ]; then
  for _ in $(seq 1 100); do [ -s data/server.port ] && break; sleep 0.1; done
  api="http://127.0.0.1:$(cat data/server.port)/api"
  token=$(curl -sf -XPOST "$api/auth/login" -d "{\"email\":\"$demo_email\",\"password\":\"$demo_password\"}" |
          sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  if [ -n "$token" ]; then
    auth="Authorization: Bearer $token"
    if curl -sf "$api/tenant/settings" -H "$auth" | grep -q '"voice_api_key_set":false'; then
      curl -sf -XPUT "$api/tenant/settings" -H "$auth" -d '{"voice_api_key":"bn-demo-key-1"}' >/dev/null &&
        echo "Demo tenant: saved the simulator's demo voice key bn-demo-key-1 (3 agents)."
    fi
    if curl -sf "$api/crm/status" -H "$auth" | grep -q '"connections":\[\]'; then
      curl -sf -XPOST "$api/crm/connect" -H "$auth" -d '{"provider":"hubspot","access_token":"pat-demo-hubspot-1"}' >/dev/null &&
        echo "Demo tenant: connected the simulator's demo HubSpot portal (25 contacts)."
    fi
    node "$root/scripts/demo-leads.mjs" "$api" "$token" || true
  fi
fi
wait $server_pid
