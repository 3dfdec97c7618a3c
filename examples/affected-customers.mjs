#!/usr/bin/env node
// Lists the customers and partners affected by a compromised package version (default
// pkg:pypi/litellm@1.82.8), each with the earliest instant the compromise could have reached them.
//
//   BLAST_URL    the GraphQL endpoint (default http://127.0.0.1:4000/graphql)
//   BLAST_TOKEN  a bearer token, when the server has BLAST_TOKENS set
//
// Needs Node 20+ and graphql-request (npm install graphql-request). Prints one line per customer:
// firstExposedAt, id, name (tab-separated), earliest first; exits 1 with the server's message and
// error code on failure.
import { ClientError, GraphQLClient, gql } from 'graphql-request';

const url = process.env.BLAST_URL || 'http://127.0.0.1:4000/graphql';
const seed = process.argv[2] || 'pkg:pypi/litellm@1.82.8';
const token = process.env.BLAST_TOKEN;

const client = new GraphQLClient(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

const query = gql`
  query AffectedCustomers($seed: ID!) {
    blastRadius(seeds: [{ id: $seed }]) {
      customers { id name firstExposedAt }
    }
  }
`;

try {
  const { blastRadius } = await client.request(query, { seed });
  for (const c of blastRadius.customers) console.log([c.firstExposedAt ?? 'unknown', c.id, c.name].join('\t'));
} catch (err) {
  if (!(err instanceof ClientError)) throw err;
  const first = err.response.errors?.[0];
  console.error(`error: ${first?.message ?? err.message} [${first?.extensions?.code ?? `HTTP ${err.response.status}`}]`);
  process.exitCode = 1;
}
