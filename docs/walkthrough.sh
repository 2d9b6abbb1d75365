#!/usr/bin/env bash
# The README's walk-through ("Walk-through (the seed's batch flow)") as a script: a carrier
# account on the mock provider, a batch of two shipments (one without a zip, so it fails
# validation; the other with the caller's own id, external_shipment_id), the failed one removed,
# the batch purchased, the label found by that id.
#
# Needs: bash, curl and jq (https://jqlang.org; `apt-get install jq`, `brew install jq`).
# Usage:
#   KEY=<the demo key npm start printed> docs/walkthrough.sh
#   BASE_URL=http://127.0.0.1:3998 KEY=sb_... WAIT_SECONDS=120 docs/walkthrough.sh
#     BASE_URL      the service (default http://localhost:3000)
#     KEY           a tenant's API key (lost the demo key? npm run demo-key)
#     WAIT_SECONDS  how long to wait for each state change before giving up (default 60)
# Exits 0 after the batch is PURCHASED; non-zero, saying what it waited for, otherwise.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true  # bash >= 4.4: errors inside $(...) stop the script too

BASE_URL="${BASE_URL:-http://localhost:3000}"
BASE_URL="${BASE_URL%/}"
WAIT_SECONDS="${WAIT_SECONDS:-60}"

fail() { echo "walkthrough: $*" >&2; exit 1; }
command -v curl >/dev/null || fail "curl is required"
command -v jq >/dev/null || fail "jq is required (apt-get install jq / brew install jq)"
[ -n "${KEY:-}" ] || fail "set KEY to a tenant's API key (the demo key npm start printed; lost it? npm run demo-key)"

H="Authorization: ShippoToken $KEY"; J='Content-Type: application/json'

# api METHOD PATH [BODY]: the answer's body on stdout; fails on a non-2xx status, showing the answer.
api() {
  local method=$1 path=$2 body=${3:-} out status
  out=$(mktemp)
  if [ -n "$body" ]; then
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$BASE_URL$path" -H "$H" -H "$J" -d "$body") || { rm -f "$out"; fail "$method $path: could not reach $BASE_URL"; }
  else
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$BASE_URL$path" -H "$H") || { rm -f "$out"; fail "$method $path: could not reach $BASE_URL"; }
  fi
  if [ "${status:0:1}" != 2 ]; then
    echo "walkthrough: $method $path answered $status:" >&2; cat "$out" >&2; echo >&2; rm -f "$out"; exit 1
  fi
  cat "$out"; rm -f "$out"
}

# wait_status BATCH WANTED...: polls the batch until its object_status is one of WANTED
# (at most WAIT_SECONDS) and leaves that status in STATUS.
STATUS=
wait_status() {
  local batch=$1; shift
  local deadline=$((SECONDS + WAIT_SECONDS)) wanted
  while :; do
    STATUS=$(api GET "/batches/$batch" | jq -r .object_status)
    for wanted in "$@"; do [ "$STATUS" = "$wanted" ] && return 0; done
    [ "$SECONDS" -lt "$deadline" ] || fail "batch $batch still $STATUS after ${WAIT_SECONDS}s (waited for: $*)"
    sleep 0.5
  done
}

# A carrier account on the mock provider (parameters tune it: latency_ms, fail_rate,
# rate_limit_per_minute, initial_balance, label_cost), a sender and a parcel.
ACCT=$(api POST /carrier_accounts '{"provider":"mock","carrier":"usps","account_id":"demo","parameters":{}}' | jq -er .object_id)
FROM=$(api POST /addresses '{"name":"Shippo Warehouse","street1":"215 Clayton St.","city":"San Francisco","state":"CA","zip":"94117","country":"US"}' | jq -er .object_id)
PARCEL=$(api POST /parcels '{"length":"10","width":"8","height":"4","distance_unit":"in","weight":"2","mass_unit":"lb"}' | jq -er .object_id)
echo "carrier account $ACCT, address $FROM, parcel $PARCEL"
# The caller's own id for the first shipment: unique per tenant, so new at each run.
ORDER="order-$(date +%s)-$RANDOM"

# 1. Create the batch: answers 201 at once, VALIDATING; validation runs in the background.
BATCH=$(api POST /batches '{
  "default_carrier_account": "'"$ACCT"'", "default_servicelevel_token": "usps_priority",
  "label_filetype": "PDF_4x6", "metadata": "BATCH #170",
  "batch_shipments": [
    {"shipment": {"address_from": "'"$FROM"'", "address_to": {"name":"Mr Hippo","street1":"965 Mission St","city":"San Francisco","state":"CA","zip":"94103","country":"US"}, "parcel": "'"$PARCEL"'", "external_shipment_id": "'"$ORDER"'"}},
    {"shipment": {"address_from": "'"$FROM"'", "address_to": {"name":"No Zip","street1":"1 Main St","city":"Austin","country":"US"}, "parcel": "'"$PARCEL"'"}}
  ]}' | jq -er .object_id)
echo "batch $BATCH created"
wait_status "$BATCH" VALID INVALID
echo "batch $BATCH validated: $STATUS"

# 2. Fix validation issues: find the failed shipments and remove them (or add fixed ones).
api GET "/batches/$BATCH?object_results=creation_failed" | jq '.batch_shipments.results'
BAD=$(api GET "/batches/$BATCH?object_results=creation_failed" | jq -c '[.batch_shipments.results[].object_id]')
if [ "$BAD" != "[]" ]; then
  AFTER=$(api PUT "/batches/$BATCH/remove_shipments" "$BAD" | jq -r .object_status)
  echo "removed $BAD: $AFTER"
fi
wait_status "$BATCH" VALID INVALID
[ "$STATUS" = VALID ] || fail "batch $BATCH is $STATUS after removing its failed shipments"
echo "batch $BATCH is VALID"

# 3. Purchase: 202 PURCHASING at once, then PURCHASED once every label is bought.
PURCHASE=$(api POST "/batches/$BATCH/purchase" | jq -r .object_status)
echo "purchase: $PURCHASE"
wait_status "$BATCH" PURCHASED
api GET "/batches/$BATCH" | jq '{object_id, object_status, object_results, label_url}'
api GET "/carrier_accounts/$ACCT/balance"; echo
# The label, found by the id the shipment was given (ShipStation's v2 route).
api GET "/v2/labels/external_shipment_id/$ORDER" | jq '{label_id, status, tracking_number, external_shipment_id}'
echo "batch $BATCH PURCHASED"
