/**
 * Bearer tokens and roles. BLAST_TOKENS="tokenA:admin,tokenB:viewer" names every accepted token and
 * its role; without it the server is open (meant for loopback) and every caller is admin.
 * Tokens are compared as SHA-256 digests with timingSafeEqual against every configured token, so
 * neither the match nor its position leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createGraphQLError } from 'graphql-yoga';
import { BlastError } from '../model/errors.js';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

/** True when `role` may do what `needed` may. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface TokenEntry {
  token: string;
  role: Role;
}

export class TokenTable {
  private readonly digests: Array<{ digest: Buffer; role: Role }>;

  constructor(entries: readonly TokenEntry[]) {
    if (entries.length === 0) throw new BlastError('BAD_INPUT', 'no tokens given', { input: 'BLAST_TOKENS' });
    this.digests = entries.map((e) => ({ digest: sha256(e.token), role: e.role }));
  }

  get size(): number {
    return this.digests.length;
  }

  /** The role of a presented token, or null. Takes the same time whichever token (if any) matches. */
  roleOf(presented: string): Role | null {
    const digest = sha256(presented);
    let found: Role | null = null;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, digest) && found === null) found = entry.role;
    }
    return found;
  }
}

/**
 * Parses `tokenA:admin,tokenB:viewer`. Throws BAD_INPUT naming BLAST_TOKENS (never echoing a token).
 * @example parseTokens(process.env.BLAST_TOKENS)
 */
export function parseTokens(spec: string, input = 'BLAST_TOKENS'): TokenTable {
  const entries: TokenEntry[] = [];
  const seen = new Set<string>();
  spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .forEach((part, i) => {
      const colon = part.lastIndexOf(':');
      const token = colon > 0 ? part.slice(0, colon) : '';
      const role = colon > 0 ? part.slice(colon + 1).trim() : '';
      if (token === '' || !(ROLES as readonly string[]).includes(role)) {
        throw new BlastError('BAD_INPUT', `entry ${i + 1} must be TOKEN:ROLE with ROLE one of ${ROLES.join(', ')}`, { input });
      }
      if (/\s/.test(token)) throw new BlastError('BAD_INPUT', `entry ${i + 1}: a token cannot contain white space`, { input });
      if (seen.has(token)) throw new BlastError('BAD_INPUT', `entry ${i + 1} repeats a token`, { input });
      seen.add(token);
      entries.push({ token, role: role as Role });
    });
  if (entries.length === 0) throw new BlastError('BAD_INPUT', 'no TOKEN:ROLE entries', { input });
  return new TokenTable(entries);
}

/**
 * `principal` names the caller without holding the token: the hex SHA-256 of the presented token, or
 * '' on an open server. Resources made for one caller (an export download) are bound to it.
 */
export type AuthResult = { ok: true; role: Role; principal: string } | { ok: false; reason: string };

/** Decides a request's role from its Authorization header. Without a table, everyone is admin. */
export function authenticate(authorization: string | null, tokens: TokenTable | null): AuthResult {
  if (!tokens) return { ok: true, role: 'admin', principal: '' };
  if (!authorization) return { ok: false, reason: 'this server requires Authorization: Bearer <token>' };
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!m) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' };
  const role = tokens.roleOf(m[1]!);
  return role ? { ok: true, role, principal: sha256(m[1]!).toString('hex') } : { ok: false, reason: 'the bearer token is not valid' };
}

/** Throws a FORBIDDEN GraphQL error unless `role` may do what `needed` may. */
export function requireRole(role: Role, needed: Role, action: string): void {
  if (!hasRole(role, needed)) {
    throw createGraphQLError(`the ${role} role may not ${action} (it needs ${needed} or above)`, {
      extensions: { code: 'FORBIDDEN' },
    });
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
