/**
 * Secret values are never stored. A value is refused when
 *
 * - it matches a provider's documented token format (secret-rules.ts), in any string or key, also
 *   inside a base64-encoded string and across the lines of a list of strings (a PEM key given as a list);
 * - it sits under a key whose name says it holds a secret (`password`, `db_password`, `secretAccessKey`,
 *   `private_key`, `GITHUB_TOKEN`, ...) and is not a reference to one kept elsewhere (`${{ secrets.X }}`,
 *   `${VAR}`, `vault:…`). Credential metadata is fine: a key whose last word is metadata (`tokenType`,
 *   `secretName`, `credentialId`, `passwordRotatedAt`) and the documented fields (`type`, `scope`,
 *   `fingerprint`, `createdAt`, `rotatedAt`, `revokedAt`) are not secret keys;
 * - it is a URL with a password in its userinfo, or free text with a `NAME=value` / `Password: value`
 *   assignment of a secret-named variable (`.env` lines);
 * - (free text and props, not raw SBOMs) it holds a long token of high entropy: a random string of
 *   mixed letters and digits is a key whatever its provider.
 *
 * A refusal names the place and the kind of secret, never the value.
 */
import { BlastError } from './errors.js';
import { ANY_SECRET_RULE, SECRET_RULES } from './secret-rules.js';

export { SECRET_RULES } from './secret-rules.js';

/** Words of a key that mean "this holds a secret value". Plurals (`secrets:`, `credentials:`) name containers. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'secret', 'token', 'credential', 'cred', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'authkey']);
/** Two-word spellings of the same (`private_key`, `apiKey`, `secret_access_key`). */
const SECRET_PAIRS = [['private', 'key'], ['api', 'key'], ['access', 'key'], ['signing', 'key'], ['encryption', 'key'], ['master', 'key'], ['client', 'secret'], ['auth', 'key']];
/** Exact keys that always held values in our formats (kept from the first version of these rules). */
const SECRET_EXACT = new Set(['value', 'secrets_value', 'secretvalue']);
/**
 * A key whose last word is one of these describes a secret without holding it: `tokenType`,
 * `secretName`, `credentialId`, `passwordRotatedAt`, `token_url`.
 */
const METADATA_WORDS = new Set([
  'type', 'types', 'kind', 'scope', 'scopes', 'fingerprint', 'name', 'names', 'id', 'ids', 'ref', 'refs', 'reference', 'arn',
  'at', 'created', 'rotated', 'revoked', 'expires', 'expiry', 'expiration', 'date', 'time', 'ttl', 'age', 'days', 'length',
  'count', 'format', 'provider', 'owner', 'source', 'policy', 'hint', 'url', 'uri', 'endpoint', 'path', 'file', 'env', 'var',
  'variable', 'field', 'required', 'enabled', 'rotation', 'version', 'permission', 'permissions', 'audience', 'issuer',
  'algorithm', 'alg', 'store', 'manager', 'vault', 'location', 'description', 'prefix', 'label', 'labels', 'status',
]);
/** Keys that name a permission or a setting, not a value: GitHub's `id-token` permission. */
const NOT_SECRET_KEYS = new Set(['id token']);

/** A value that only refers to a secret kept elsewhere. */
const REFERENCE = /^\s*(\$\{\{[\s\S]*\}\}|\$\{[A-Za-z_][\w.:-]*\}|\$[A-Za-z_]\w*|\{\{[\s\S]*\}\}|(arn:aws[\w-]*:secretsmanager:|vault:|op:\/\/|projects\/[^/\s]+\/secrets\/)\S*)\s*$/;

/** A URL with a password in its userinfo (the password a reference is fine: `${PASS}`). */
const URL_USERINFO = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}:([^/\s@]{1,256})@/i;

/** `NAME=value`, `NAME: value`, `export NAME="value"` inside free text (a .env line, a note). */
const ASSIGNMENT = /(?:^|[\s;,{(["'])(?:export\s+)?["']?([A-Za-z][A-Za-z0-9_.-]{0,63})["']?(?:[ \t]*=[ \t]*|[ \t]*:[ \t]+)["']?([^\s"',;]+)/g;

const MIN_ENTROPY_TOKEN = 32;
const COLON_SPACE = /:[ \t]/;
/** Shorter keys are names, not tokens: no provider format, PEM header or JWT fits in 16 characters. */
const MIN_KEY_SHAPE = 16;

/**
 * Public material is random too and may be stored: base64 DER of an X.509 certificate or a
 * SubjectPublicKeyInfo (RSA, EC, Ed25519), and OpenSSH public key blobs.
 */
const PUBLIC_KEY = /^(MII[A-Za-z0-9+/]{3}(ANBgkqhkiG9w0BAQEFAAOC|CCA)|MFkwEwYHKoZIzj0CAQ|MHYwEAYHKoZIzj0CAQ|MCowBQYDK2Vw|AAAA[BC]3NzaC1|AAAAE2VjZHNh)/;

/** The lower-case words of a key: `aws_secret_access_key`, `secretAccessKey`, `DB-PASSWORD`. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Returns why a key is a secret-value key, or null. Metadata keys (`tokenType`, `createdAt`) are not. */
export function secretKey(key: string): string | null {
  // Records repeat the same few keys millions of times: remember the answer per key.
  const known = KEY_VERDICTS.get(key);
  if (known !== undefined) return known;
  const verdict = secretKeyOf(key);
  if (KEY_VERDICTS.size >= 10_000) KEY_VERDICTS.clear();
  KEY_VERDICTS.set(key, verdict);
  return verdict;
}
const KEY_VERDICTS = new Map<string, string | null>();

function secretKeyOf(key: string): string | null {
  if (key.length > 128) return null;
  const words = keyWords(key);
  if (words.length === 0) return null;
  const joined = words.join('');
  const secret =
    SECRET_EXACT.has(joined) ||
    words.some((w) => SECRET_WORDS.has(w)) ||
    SECRET_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
  if (!secret) return null;
  if (METADATA_WORDS.has(words[words.length - 1]!) || NOT_SECRET_KEYS.has(words.join(' '))) return null;
  return `the field "${printableKey(key)}" would hold a secret value`;
}

/** True for a value that only names a secret kept elsewhere (`${{ secrets.X }}`, `${VAR}`, `vault:…`). */
export function isSecretReference(value: string): boolean {
  return REFERENCE.test(value);
}

/**
 * Returns the kind of secret a string holds, or null: a provider's token format, a private key in any
 * shape, a URL with a password, a `.env`-style assignment of a secret-named variable; also inside a
 * base64-encoded string.
 */
export function secretShape(text: string): string | null {
  const shape = shapeIn(text, true);
  if (shape) return shape;
  // Free text (prose, a comment): a long random token in it is a key. Whole-string tokens in raw
  // documents (digests, integrity strings, encoded blobs) are left to the check on stored values.
  return /\s/.test(text.trim()) && highEntropyToken(text) ? 'long random token (high entropy) in free text' : null;
}

function shapeIn(text: string, decode: boolean): string | null {
  if (ANY_SECRET_RULE.test(text)) {
    for (const { name, pattern } of SECRET_RULES) if (pattern.test(text)) return name;
  }
  // Cheap tests first: most strings are ids and names (`svc:acme/api` has a colon but no `: `).
  const url = text.includes('://') ? URL_USERINFO.exec(text) : null;
  if (url && !isSecretReference(url[1]!) && !/^\*+$/.test(url[1]!)) return 'URL with a password in it';
  if (text.length >= 3 && (text.includes('=') || COLON_SPACE.test(text))) {
    const assigned = secretAssignment(text);
    if (assigned) return assigned;
  }
  if (decode && text.length >= 40) {
    for (const m of text.matchAll(/[A-Za-z0-9+/]{40,}={0,2}/g)) {
      const decoded = printableBase64(m[0]);
      const inner = decoded && shapeIn(decoded, false);
      if (inner) return `base64-encoded ${inner}`;
    }
  }
  return null;
}

/** `PASSWORD=…`, `Password: …`, `export STRIPE_SECRET_KEY=…`: the kind, or null. */
function secretAssignment(text: string): string | null {
  for (const m of text.matchAll(ASSIGNMENT)) {
    const [, name, value] = m as unknown as [string, string, string];
    if (secretKey(name) === null || isSecretReference(value) || /^(\*+|<[^>]*>?|x+|null|none|redacted)$/i.test(value)) continue;
    const words = keyWords(name);
    const strong = words.some((w) => w === 'password' || w === 'passwd' || w === 'pwd' || w === 'passphrase');
    // After a password, any value is one; after "token:" or "secret:" in prose, only a token-like one.
    if (strong ? value.length >= 4 : tokenLike(value)) return `an assignment of ${printableKey(name)}`;
  }
  return null;
}

function tokenLike(value: string): boolean {
  return value.length >= 8 && /\d/.test(value) && /[A-Za-z]/.test(value);
}

/** The text a base64 string decodes to, when that is printable text; else null. */
function printableBase64(b64: string): string | null {
  const text = Buffer.from(b64, 'base64').toString('latin1');
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9) printable++;
  }
  return printable >= text.length * 0.95 ? text : null;
}

/**
 * A long random-looking token inside text: 32+ characters of letters and digits (and base64's `+/=`),
 * upper and lower case and digits mixed, with a Shannon entropy of at least 4.2 bits per character. Hex
 * digests, hash-prefixed integrity strings (`sha512-…`), UUIDs and words do not qualify.
 */
export function highEntropyToken(text: string): boolean {
  if (text.length < MIN_ENTROPY_TOKEN) return false;
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/=_-])(?:(sha\d+|md5)[-:])?([A-Za-z0-9+/=]{32,})/gi)) {
    if (m[1]) continue;
    const token = m[2]!.replace(/=+$/, '');
    if (token.length < MIN_ENTROPY_TOKEN || !/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/\d/.test(token)) continue;
    if (PUBLIC_KEY.test(token)) continue;
    // A path (`github.com/Azure/go-autorest/…`, `blob/<sha>/Formula`) has words between its slashes.
    if (token.includes('/') && token.split('/').some((part) => /^([a-z]{2,}|[A-Z][a-z]+)$/.test(part))) continue;
    if (entropy(token) >= 4.2) return true;
  }
  return false;
}

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export interface SecretHit {
  /** JSON pointer of the value (or key) that holds the secret. */
  pointer: string;
  /** What it is: `looks like a GitHub token`, `the field "db_password" would hold a secret value`. */
  reason: string;
}

/**
 * Walks any parsed value and returns the JSON pointer and reason of the first secret found, or null:
 * every key (by name and by shape) and every string, lists of strings also joined as lines. Iterative,
 * so hostile nesting cannot overflow the stack.
 */
export function findSecret(value: unknown, pointer = ''): SecretHit | null {
  // Pointers are built only for a hit: each item knows its parent and key.
  interface Item {
    value: unknown;
    parent: Item | null;
    key: string;
  }
  const pointerOf = (item: Item): string => {
    const keys: string[] = [];
    for (let i: Item | null = item; i !== null && i.parent !== null; i = i.parent) keys.push(`/${escapePointer(i.key)}`);
    return pointer + keys.reverse().join('') || '/';
  };
  const stack: Item[] = [{ value, parent: null, key: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      const reason = secretInValue(v);
      if (reason) return { pointer: pointerOf(item), reason };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const start = stack.length;
    if (Array.isArray(v)) {
      // A PEM key (or a .env file) given as a list of lines: the lines together.
      if (v.length > 1 && v.every((x) => typeof x === 'string')) {
        const reason = secretInValue((v as string[]).join('\n'));
        if (reason) return { pointer: pointerOf(item), reason };
      }
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], parent: item, key: String(i) });
    } else {
      for (const key of Object.keys(v)) {
        const child = (v as Record<string, unknown>)[key];
        const keyShape = key.length >= MIN_KEY_SHAPE ? secretShape(key) : null;
        // The pointer of the mapping, not of the key: a location must not spell the secret.
        if (keyShape) return { pointer: pointerOf(item), reason: `a key in it looks like a ${keyShape}` };
        const byKey = secretKey(key);
        if (byKey && holdsValue(key, child)) return { pointer: pointerOf({ value: child, parent: item, key }), reason: byKey };
        if (child !== null && (typeof child === 'object' || typeof child === 'string')) stack.push({ value: child, parent: item, key });
      }
    }
    // Reversed so that the first secret in document order is the one reported.
    for (let a = start, b = stack.length - 1; a < b; a++, b--) [stack[a], stack[b]] = [stack[b]!, stack[a]!];
  }
  return null;
}

/**
 * Under a secret key: a string that is not a reference. Under a key that can mean nothing else (the
 * first version's list: `password`, `token`, `private_key`, …), any value but null, '' and booleans,
 * as before: numbers, lists and mappings too.
 */
function holdsValue(key: string, child: unknown): boolean {
  if (typeof child === 'string') return child.trim() !== '' && !isSecretReference(child);
  return child !== null && child !== undefined && typeof child !== 'boolean' && VALUE_ONLY_KEYS.test(key);
}

/** Keys refused with any non-empty value since the first version of these rules (numbers too). */
const VALUE_ONLY_KEYS = /^(value|secret|secrets?_?value|password|passwd|token|private_?key|api_?key|access_?key_?secret|client_?secret|\w*_?password|\w*Password)$/i;

/** Why a stored string value is a secret, or null: its shape, or a long high-entropy token in it. */
export function secretInValue(text: string): string | null {
  const shape = secretShape(text);
  if (shape) return `looks like a ${shape}`;
  if (highEntropyToken(text)) return 'holds a long random token (high entropy), which looks like a key';
  return null;
}

/** Throws SECRET_REFUSED naming `input` and `location` when `text` holds a secret (never echoing it). */
export function refuseSecretIn(text: string, input: string | undefined, location: string): void {
  const reason = secretInValue(text);
  if (reason) throw new BlastError('SECRET_REFUSED', `refused: ${reason}; store credential metadata only`, { input, location });
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A key for a message: short, printable, and never a value (a key that looks like a token is not shown). */
function printableKey(key: string): string {
  const clean = key.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
