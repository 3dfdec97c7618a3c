/**
 * Secret values are never stored. Ingestion refuses a field whose key says it holds a secret value,
 * and any string shaped like a well-known credential. Metadata (type, scope, fingerprint) is fine.
 */

/** Keys whose presence means the input carries a secret value rather than metadata. */
const SECRET_KEYS = /^(value|secret|secrets?_?value|password|passwd|token|private_?key|api_?key|access_?key_?secret|client_?secret)$/i;

const SECRET_SHAPES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'AWS secret access key', pattern: /aws.{0,20}['"=:\s][0-9a-zA-Z/+]{40}\b/i },
  { name: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { name: 'OpenAI API key', pattern: /\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b/ },
  { name: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Slack webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'PyPI token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{20,}/ },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'PEM private key', pattern: /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/ },
];

/** Returns why a key is a secret-value key, or null. */
export function secretKey(key: string): string | null {
  return SECRET_KEYS.test(key) ? `the field "${key}" would hold a secret value` : null;
}

/** Returns the kind of secret a string looks like, or null. */
export function secretShape(text: string): string | null {
  for (const { name, pattern } of SECRET_SHAPES) if (pattern.test(text)) return name;
  return null;
}

/**
 * Walks any parsed value and returns the JSON pointer and reason of the first secret found, or null.
 * Keys listed in `allowKeys` are metadata keys whose names merely resemble secret keys.
 */
export function findSecret(value: unknown, pointer = ''): { pointer: string; reason: string } | null {
  if (typeof value === 'string') {
    const shape = secretShape(value);
    return shape ? { pointer: pointer || '/', reason: `looks like a ${shape}` } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecret(value[i], `${pointer}/${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const byKey = secretKey(key);
      if (byKey && child !== null && child !== '' && typeof child !== 'boolean') return { pointer: childPointer, reason: byKey };
      const hit = findSecret(child, childPointer);
      if (hit) return hit;
    }
  }
  return null;
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
