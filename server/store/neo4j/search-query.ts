/**
 * Full-text search on Neo4j, made to behave like the embedded store's FTS5 `unicode61` index.
 *
 * Lucene's standard tokenizer keeps `svc:acme` or `litellm@1.82.8`'s parts glued in ways a person
 * cannot predict (`acme` would not find `svc:acme/labeling-api`). So each node also stores
 * `searchText`: its id's and name's words (runs of letters and digits, lower-cased, diacritics
 * removed) joined by spaces, and the `node_search` index reads that with the `whitespace` analyzer.
 * The query side cuts what a person typed with the same function, so both sides agree exactly.
 *
 * Query: every whitespace-separated word is required, as FTS5's `"word"*`: its tokens adjacent and in
 * order, the last also as a prefix (`lite` finds `litellm`, `1.82` finds `1.82.8` but not `1.8.2`).
 * The index finds candidates (every token required, an exact token scoring higher than a prefix);
 * a CONTAINS filter on searchText then enforces adjacency. Tokens hold only letters and digits and
 * are quoted besides, so no input (`"`, `*`, `AND (`, `\`) can make the query fail to parse.
 */

/** At most this many words are used; the rest of a very long input is ignored (as in the embedded store). */
export const MAX_SEARCH_WORDS = 32;
/** At most this many tokens in all: each is a Lucene clause. */
const MAX_SEARCH_TOKENS = 64;
/** Lucene's whitespace tokenizer cuts longer tokens; a long prefix would also blow up its automaton. */
const MAX_TOKEN = 255;

/** The search words of a text: runs of letters and digits, lower-cased, without diacritics. */
export function searchTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return (folded.match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []).map((t) => t.slice(0, MAX_TOKEN));
}

/**
 * What the `node_search_text` index reads for a node: its id's words, then `|` (no query token can
 * match it, so a phrase never runs from the id into the name), then its name's words.
 */
export function searchText(id: string, name: string): string {
  return [...searchTokens(id), '|', ...searchTokens(name)].join(' ');
}

export interface FulltextQuery {
  /** The Lucene query: finds the candidates through the index. */
  query: string;
  /**
   * One per word: ` t1 t2 t3`. A candidate must contain each in `' ' + searchText`, which holds the
   * word's tokens adjacent and in order, the last as a prefix (FTS5's `"t1 t2 t3"*`).
   */
  phrases: string[];
}

/** The query for what a person typed, or null when it holds nothing to search for. */
export function fulltextQuery(text: string): FulltextQuery | null {
  const clauses: string[] = [];
  const phrases: string[] = [];
  let budget = MAX_SEARCH_TOKENS;
  for (const word of text.split(/\s+/u).slice(0, MAX_SEARCH_WORDS)) {
    const tokens = searchTokens(word).slice(0, budget);
    if (tokens.length === 0) continue;
    budget -= tokens.length;
    tokens.forEach((t, i) => {
      const term = escapeLucene(t);
      clauses.push(i === tokens.length - 1 ? `+("${term}" ${term}*)` : `+"${term}"`);
    });
    phrases.push(` ${tokens.join(' ')}`);
    if (budget <= 0) break;
  }
  return clauses.length ? { query: [...new Set(clauses)].join(' '), phrases: [...new Set(phrases)] } : null;
}

/** Backslash-escapes every character Lucene's classic query parser treats specially. */
export function escapeLucene(text: string): string {
  return text.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&');
}
