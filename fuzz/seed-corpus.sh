#!/usr/bin/env bash
# Writes the answers of the simulator (tenantsync-sim --seed-demo, on loopback) into
# fuzz/corpus/<target>/sim-*: the real shapes each parser reads, as seeds. The hand-written seeds
# beside them (spec-*, edge-*) come from the providers' documented examples and are kept as they are.
#   fuzz/seed-corpus.sh [path/to/tenantsync-sim]     (default build/dev/tenantsync-sim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sim=${1:-$root/build/dev/tenantsync-sim}
corpus=$root/fuzz/corpus
work=$(mktemp -d)
"$sim" --listen 127.0.0.1:0 --port-file "$work/port" --seed-demo >"$work/sim.log" 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")

# get TARGET NAME [curl arguments...]: the body of one answer as corpus/TARGET/sim-NAME.
get() {
  local target=$1 name=$2; shift 2
  mkdir -p "$corpus/$target"
  curl -sS --max-time 10 "$@" -o "$corpus/$target/sim-$name"
}
# headers TARGET NAME [curl arguments...]: the header block of one answer.
headers() {
  local target=$1 name=$2; shift 2
  mkdir -p "$corpus/$target"
  curl -sS --max-time 10 -o /dev/null -D - "$@" | tr -d '\r' | grep -i ':' >"$corpus/$target/sim-$name"
}

bolna=(-H "Authorization: Bearer bn-demo-key-1")
get bolna_account me "${bolna[@]}" "$base/user/me"
get bolna_account error -H "Authorization: Bearer wrong" "$base/user/me"
get bolna_agents all "${bolna[@]}" "$base/v2/agent/all"
get bolna_phone_numbers all "${bolna[@]}" "$base/phone-numbers/all"
agent=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$corpus/bolna_agents/sim-all" | head -c 36)
get bolna_batches all "${bolna[@]}" "$base/batches/$agent/all"
# Executions are listed in windows of at most 7 days, back from now (the demo data spans the
# last 20 days), until one holds some.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for days in 0 7 14 21; do
  to=$(date -u -d "$now - $days days" +%Y-%m-%dT%H:%M:%SZ)
  from=$(date -u -d "$now - $((days + 6)) days" +%Y-%m-%dT%H:%M:%SZ)
  get bolna_executions page1 "${bolna[@]}" \
    "$base/v2/agent/$agent/executions?from=$from&to=$to&page_number=1&page_size=2"
  grep -q '"id"' "$corpus/bolna_executions/sim-page1" && break
done
get bolna_executions error "${bolna[@]}" "$base/v2/agent/$agent/executions"

hubspot=(-H "Authorization: Bearer pat-demo-hubspot-1")
get hubspot_contacts list "${hubspot[@]}" "$base/crm/v3/objects/contacts?limit=3"
get hubspot_contacts search "${hubspot[@]}" -X POST -H "Content-Type: application/json" \
  -d '{"limit":3,"filterGroups":[],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}]}' \
  "$base/crm/v3/objects/contacts/search"
get hubspot_contacts unauthorized -H "Authorization: Bearer wrong" "$base/crm/v3/objects/contacts"
get hubspot_owners owners "${hubspot[@]}" "$base/crm/v3/owners?limit=3"
get hubspot_owners account "${hubspot[@]}" "$base/account-info/v3/details"
headers rate_limit_headers hubspot "${hubspot[@]}" "$base/crm/v3/objects/contacts?limit=1"

get oauth_token hubspot -X POST -d "grant_type=refresh_token&client_id=demo-client&client_secret=demo-secret&refresh_token=hs-demo-refresh-1" \
  "$base/oauth/v1/token"
get oauth_token hubspot-refused -X POST -d "grant_type=refresh_token&client_id=demo-client&client_secret=demo-secret&refresh_token=nope" \
  "$base/oauth/v1/token"
get oauth_token salesforce -X POST -d "grant_type=refresh_token&client_id=demo-client&client_secret=demo-secret&refresh_token=sf-demo-refresh-1" \
  "$base/services/oauth2/token"
sf_token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$corpus/oauth_token/sim-salesforce")
salesforce=(-H "Authorization: Bearer $sf_token" -H "Sforce-Query-Options: batchSize=3")
soql="SELECT+Id,+FirstName,+LastName,+Email,+Phone,+OwnerId,+Owner.Name,+Owner.Email,+CreatedDate,+SystemModstamp,+IsDeleted,+Status+FROM+Lead"
get salesforce_query leads "${salesforce[@]}" "$base/services/data/v60.0/query?q=$soql"
get salesforce_query organization "${salesforce[@]}" \
  "$base/services/data/v60.0/query?q=SELECT+Id,+TimeZoneSidKey+FROM+Organization+LIMIT+1"
get salesforce_errors malformed-query "${salesforce[@]}" "$base/services/data/v60.0/query?q=SELEKT"
get salesforce_errors session -H "Authorization: Bearer expired" "$base/services/data/v60.0/query?q=$soql"
headers rate_limit_headers salesforce "${salesforce[@]}" "$base/services/data/v60.0/query?q=$soql"

nango=(-H "Authorization: Bearer nango-demo-secret")
get nango_connection hubspot "${nango[@]}" "$base/connections/demo-hubspot?provider_config_key=hubspot"
get nango_connection salesforce "${nango[@]}" "$base/connections/demo-salesforce?provider_config_key=salesforce"
get nango_connection unknown "${nango[@]}" "$base/connections/nope?provider_config_key=hubspot"
get nango_connect_session created "${nango[@]}" -X POST -H "Content-Type: application/json" \
  -d '{"end_user":{"id":"42"},"organization":{"id":"42"},"tags":{"end_user_id":"42","organization_id":"42"}}' \
  "$base/connect/sessions"
get nango_connect_session refused -H "Authorization: Bearer wrong" -X POST -d '{}' "$base/connect/sessions"
echo "seeds written under $corpus"
