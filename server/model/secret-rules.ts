/**
 * The token formats we refuse to store, one row per provider format, each from the provider's own
 * documentation (the `docs` column). Maintained here rather than taken from secretlint's recommended
 * preset: that preset is an async, file-oriented linter (a core, a profiler, a config), while this check
 * runs synchronously on every key and string of every record a store writes. The rows cover every
 * provider that preset covers (AWS, GCP, private keys, npm, basic auth, Slack, SendGrid, Shopify,
 * GitHub, OpenAI, Anthropic, Linear, 1Password, database connection strings, Azure) and more (Hugging
 * Face, Stripe, GitLab, PyPI, JWTs, DER private key bodies).
 *
 * To add a provider: one row with a pattern anchored on the format's fixed prefix (a pattern without
 * one refuses ordinary text), a name that says what it is (it appears in refusals, never the value),
 * the page documenting the format, and a line in test/ingest/secrets.test.ts.
 */

export interface SecretRule {
  /** What the value is, as a refusal names it: `looks like a <name>`. */
  name: string;
  pattern: RegExp;
  /** Where the provider documents the format. */
  docs: string;
}

const B64 = '[A-Za-z0-9+/]';

export const SECRET_RULES: readonly SecretRule[] = [
  // Cloud providers
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids' },
  { name: 'AWS secret access key', pattern: /aws.{0,20}['"=:\s][0-9a-zA-Z/+]{40}\b/i, docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html' },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/, docs: 'https://cloud.google.com/docs/authentication/api-keys' },
  { name: 'Google OAuth client secret', pattern: /\bGOCSPX-[0-9A-Za-z_-]{28}/, docs: 'https://developers.google.com/identity/protocols/oauth2' },
  { name: 'Azure storage account key', pattern: /AccountKey=[A-Za-z0-9+/]{86}==/, docs: 'https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string' },
  { name: 'DigitalOcean token', pattern: /\bdo[por]_v1_[a-f0-9]{64}\b/, docs: 'https://docs.digitalocean.com/reference/api/create-personal-access-token/' },
  { name: 'Databricks token', pattern: /\bdapi[a-f0-9]{32}(-\d)?\b/, docs: 'https://docs.databricks.com/en/dev-tools/auth/pat.html' },
  // Code hosting and registries
  { name: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})/, docs: 'https://docs.github.com/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats' },
  { name: 'GitLab token', pattern: /\bgl(pat|dt|ptt|rt|cbt|oas|ft)-[0-9A-Za-z_-]{20,}/, docs: 'https://docs.gitlab.com/ee/security/tokens/#token-prefixes' },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/, docs: 'https://docs.npmjs.com/about-access-tokens' },
  { name: 'PyPI token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{20,}/, docs: 'https://pypi.org/help/#apitoken' },
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/, docs: 'https://huggingface.co/docs/hub/security-tokens' },
  // AI providers
  { name: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/, docs: 'https://docs.anthropic.com/en/api/getting-started' },
  { name: 'OpenAI API key', pattern: /\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/, docs: 'https://platform.openai.com/docs/api-reference/authentication' },
  // SaaS
  { name: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/, docs: 'https://api.slack.com/authentication/token-types' },
  { name: 'Slack webhook URL', pattern: /hooks\.slack\.com\/(services|workflows)\/T[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+/, docs: 'https://api.slack.com/messaging/webhooks' },
  { name: 'Stripe secret key', pattern: /\b(sk|rk)_(live|test)_[0-9A-Za-z]{16,}/, docs: 'https://docs.stripe.com/keys' },
  { name: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/, docs: 'https://docs.sendgrid.com/ui/account-and-settings/api-keys' },
  { name: 'Shopify token', pattern: /\bshp(at|ca|pa|ss)_[a-fA-F0-9]{32}\b/, docs: 'https://shopify.dev/docs/apps/auth/access-token-types' },
  { name: 'Linear API key', pattern: /\blin_(api|oauth)_[A-Za-z0-9]{40}\b/, docs: 'https://developers.linear.app/docs/graphql/working-with-the-graphql-api#personal-api-keys' },
  { name: '1Password service account token', pattern: /\bops_eyJ[A-Za-z0-9+/=_-]{100,}/, docs: 'https://developer.1password.com/docs/service-accounts/' },
  { name: 'Twilio API key', pattern: /\bSK[0-9a-f]{32}\b/, docs: 'https://www.twilio.com/docs/iam/api-keys' },
  // Generic shapes
  { name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, docs: 'https://datatracker.ietf.org/doc/html/rfc7519' },
  // Before PEM, whose pattern would also match its header.
  { name: 'PGP private key', pattern: /BEGIN\s+PGP\s+PRIVATE\s+KEY\s+BLOCK/i, docs: 'https://datatracker.ietf.org/doc/html/rfc4880#section-6.2' },
  // PEM: a header in any spacing (split over lines, extra blanks), RFC 7468 and OpenSSH.
  { name: 'PEM private key', pattern: /-{3,}\s*BEGIN\s+([A-Z0-9]+\s+){0,3}PRIVATE\s+KEY/i, docs: 'https://datatracker.ietf.org/doc/html/rfc7468#section-10' },
  // A private key's body without its header: the base64 DER prefixes of PKCS#1 RSA (SEQUENCE,
  // INTEGER 0, INTEGER n), PKCS#8 (SEQUENCE, INTEGER 0, SEQUENCE OID), SEC1 EC keys, Ed25519 PKCS#8
  // and the OpenSSH key format's magic `openssh-key-v1`.
  { name: 'private key (base64 DER, PKCS#1)', pattern: new RegExp(`MII${B64}{3}IBAAK${B64}{40,}`), docs: 'https://datatracker.ietf.org/doc/html/rfc8017#appendix-A.1.2' },
  { name: 'private key (base64 DER, PKCS#8)', pattern: new RegExp(`MII${B64}{3}IBADAN${B64}{40,}`), docs: 'https://datatracker.ietf.org/doc/html/rfc5208#section-5' },
  { name: 'private key (base64 DER, EC)', pattern: new RegExp(`\\b(MH${B64}CAQEE|MIG${B64}AgEBB)${B64}{40,}`), docs: 'https://datatracker.ietf.org/doc/html/rfc5915#section-3' },
  { name: 'private key (base64 DER, Ed25519)', pattern: /\bMC4CAQAwBQYDK2Vw[A-Za-z0-9+/]{20,}/, docs: 'https://datatracker.ietf.org/doc/html/rfc8410#section-7' },
  { name: 'OpenSSH private key', pattern: /b3BlbnNzaC1rZXktdjE/, docs: 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key' },
];

/** All rules as one alternation: one pass over a string in the common case (no secret). */
export const ANY_SECRET_RULE = new RegExp(SECRET_RULES.map((r) => `(?:${r.pattern.source})`).join('|'), 'i');
