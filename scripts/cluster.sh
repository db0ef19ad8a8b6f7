#!/usr/bin/env bash
# The cluster command: a local PostgreSQL (in data/cluster/pg, kept between runs), the upstream
# simulator with its demo data, N tenantsync instances (default 3) on free ports sharing the
# database and the secret key file, and HAProxy in front of them (health-checked on /readyz).
# Prints the one URL and the demo login; Ctrl-C stops everything.
#   scripts/cluster.sh [N]
# Environment: CLUSTER_PORT (HAProxy's port, default 8080), BUILD_DIR (default build/release,
# built when its binaries are missing), CLUSTER_DIR (default data/cluster).
set -euo pipefail
n=${1:-3}
[[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "usage: $0 [N] (1 to 99 instances)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build/release}
dir=${CLUSTER_DIR:-data/cluster}
port=${CLUSTER_PORT:-8080}

scripts/install-deps.sh --cluster
if [ ! -x "$build/tenantsync" ] || [ ! -x "$build/tenantsync-sim" ]; then
  if [ -f web/package.json ]; then scripts/build-web.sh; fi
  scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -- --target tenantsync tenantsync-sim
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping the cluster..."
  # Instances first (they drain their runs), then HAProxy and the simulator, then the database.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  tests/support/postgres.sh stop "$dir/pg" >/dev/null 2>&1 || true
  echo "Stopped."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_file() {
  for _ in $(seq 1 300); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "$2 did not start; see $3" >&2
  exit 1
}

# 1. PostgreSQL: a new server the first time, the same one (with its data) afterwards.
if [ -f "$dir/pg/url" ] && [ -d "$dir/pg/data" ]; then
  tests/support/postgres.sh resume "$dir/pg" >/dev/null
else
  tests/support/postgres.sh start "$dir/pg" >/dev/null
fi
database_url=$(cat "$dir/pg/url")
echo "PostgreSQL:   $database_url"

# 2. The upstream simulator with its demo accounts.
rm -f "$dir/sim.port"
"$build/tenantsync-sim" --listen 127.0.0.1:0 --port-file "$dir/sim.port" --seed-demo >"$dir/sim.log" 2>&1 &
pids+=($!)
wait_for_file "$dir/sim.port" "the simulator" "$dir/sim.log"
sim_url="http://127.0.0.1:$(cat "$dir/sim.port")"
echo "Simulator:    $sim_url"

# What every instance shares: the database, the secret key file, the upstreams.
export TENANTSYNC_DATABASE_URL=$database_url
export TENANTSYNC_SECRET_KEY_FILE=$dir/secret.key
export TENANTSYNC_WEB_ROOT=${TENANTSYNC_WEB_ROOT:-$root/web/dist}
export TENANTSYNC_BOLNA_URL=$sim_url TENANTSYNC_HUBSPOT_URL=$sim_url TENANTSYNC_SALESFORCE_LOGIN_URL=$sim_url \
       TENANTSYNC_NANGO_URL=$sim_url TENANTSYNC_NANGO_SECRET_KEY=nango-sim-secret
export TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS=1  # the simulator is on loopback over http
export TENANTSYNC_TRUSTED_PROXIES=127.0.0.1  # HAProxy's X-Forwarded-For names the client

demo_email=demo@tenantsync.local
demo_password=demo-password
if TENANTSYNC_ADMIN_PASSWORD=$demo_password "$build/tenantsync" admin create-user \
     --email "$demo_email" --tenant Demo --create-tenant >/dev/null 2>&1; then
  echo "Created the demo login."
fi

# 3. N instances, each on a free port with its own instance id.
servers=""
for i in $(seq 0 $((n - 1))); do
  rm -f "$dir/instance-$i.port"
  TENANTSYNC_LISTEN=127.0.0.1:0 TENANTSYNC_INSTANCE_ID=cluster-$i \
    "$build/tenantsync" serve --port-file "$dir/instance-$i.port" >"$dir/instance-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 0 $((n - 1))); do
  wait_for_file "$dir/instance-$i.port" "instance $i" "$dir/instance-$i.log"
  p=$(tr -d '[:space:]' <"$dir/instance-$i.port")
  echo "Instance $i:   http://127.0.0.1:$p (TENANTSYNC_INSTANCE_ID=cluster-$i, log $dir/instance-$i.log)"
  servers+="  server cluster-$i 127.0.0.1:$p check"$'\n'
done

# 4. HAProxy in front (docs/operations.md, "Running many instances", explains the settings).
cat >"$dir/haproxy.cfg" <<EOF
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 65s
  timeout server 65s
  timeout http-request 10s

frontend tenantsync
  bind 127.0.0.1:$port
  use_backend events if { path /api/events }
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 2s fall 2 rise 2
$servers
# Server-sent events: a stream stays open for hours; the instances send a ping every 15 s.
backend events
  balance leastconn
  timeout server 1h
  timeout tunnel 1h
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 2s fall 2 rise 2
$servers
EOF
haproxy -c -q -f "$dir/haproxy.cfg"
haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
pids+=($!)
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$url/readyz" >/dev/null || { echo "HAProxy does not answer on $url; see $dir/haproxy.log" >&2; exit 1; }

# 5. The demo tenant starts connected, as in scripts/demo.sh: done through the API.
api="$url/api"
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
fi

echo
echo "tenantsync cluster of $n instances: $url"
echo "Demo login: $demo_email / $demo_password"
echo "Ctrl-C stops everything."
wait
