#!/usr/bin/env bash
# Lists the customers and partners affected by a compromised package version (default
# pkg:pypi/litellm@1.82.8), each with the earliest instant the compromise could have reached them.
#
#   BLAST_URL    the GraphQL endpoint (default http://127.0.0.1:4000/graphql)
#   BLAST_TOKEN  a bearer token, when the server has BLAST_TOKENS set
#
# Needs curl and jq. Prints one line per customer: firstExposedAt, id, name (tab-separated), earliest
# first; exits 1 with the server's message and error code on failure.
set -euo pipefail

url=${BLAST_URL:-http://127.0.0.1:4000/graphql}
seed=${1:-pkg:pypi/litellm@1.82.8}

query='query AffectedCustomers($seed: ID!) {
  blastRadius(seeds: [{ id: $seed }]) {
    customers { id name firstExposedAt }
  }
}'
body=$(jq -cn --arg query "$query" --arg seed "$seed" '{ query: $query, variables: { seed: $seed } }')

# The token goes to curl on stdin (as a config line), never on its command line where `ps` shows it.
response=$(
  if [[ -n ${BLAST_TOKEN:-} ]]; then printf 'header = "Authorization: Bearer %s"\n' "$BLAST_TOKEN"; fi |
    curl --silent --show-error --config - \
      --header 'Content-Type: application/json' \
      --data "$body" "$url"
)

jq -r '
  if .errors then
    (.errors[0] | "error: \(.message) [\(.extensions.code // "unknown")]\n") | halt_error(1)
  else
    .data.blastRadius.customers[] | [.firstExposedAt // "unknown", .id, .name] | @tsv
  end' <<<"$response"
