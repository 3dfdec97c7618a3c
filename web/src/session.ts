/**
 * Who the explorer talks to the server as: the bearer token (kept in localStorage so a reload keeps
 * it) and the role the server grants it. No token at all is fine on a server without BLAST_TOKENS.
 */
import type { ApiClient } from './api.js';

const TOKEN_KEY = 'blast.token';
const LOOKED_KEY = 'blast.startPageLooked';

export type Role = 'viewer' | 'analyst' | 'admin';

export class Session {
  /** The role the server reported for our token; null until asked, or when it refused us. */
  role: Role | null = null;
  authRequired = false;
  private current: string | null;

  constructor() {
    try {
      this.current = localStorage.getItem(TOKEN_KEY);
    } catch {
      this.current = null;
    }
  }

  token(): string | null {
    return this.current;
  }

  /** Keeps a token for later visits too (private mode: for this page only). */
  save(token: string | null): void {
    this.current = token;
    try {
      if (token) localStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* private mode: keep it for this page only */
    }
  }

  forget(): void {
    this.current = null;
    try {
      localStorage.removeItem(TOKEN_KEY);
    } catch {
      /* nothing stored */
    }
  }

  /** Asks the server who we are; throws the API's error (UNAUTHENTICATED when the token is refused). */
  async check(api: ApiClient): Promise<{ role: Role; authRequired: boolean }> {
    this.role = null;
    const v = await api.viewer();
    this.role = v.role;
    this.authRequired = v.authRequired;
    return v;
  }

  /** When this browser last saw the start page (ISO), or null the first time. */
  lastLooked(): string | null {
    try {
      return localStorage.getItem(LOOKED_KEY);
    } catch {
      return null;
    }
  }

  looked(iso: string): void {
    try {
      localStorage.setItem(LOOKED_KEY, iso);
    } catch {
      /* private mode: every visit is a first one */
    }
  }

  /** Whether the marking form may be used (unknown role: let the server decide). */
  canWrite(): boolean {
    return this.role === null || this.role === 'analyst' || this.role === 'admin';
  }
}
