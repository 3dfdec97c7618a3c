/**
 * Turns what a user typed into an FTS5 query that treats it as plain words: each whitespace-separated
 * word becomes a quoted phrase with a prefix star (`"1.82.8"*`, `"lite"*`), all of them required.
 * Inside quotes FTS5 syntax (`NEAR(`, `*`, `AND`, column filters) is just text, and a doubled quote is
 * the only escape there is, so no input can make the query fail to parse.
 */

/** At most this many words are used; the rest of a very long input is ignored. */
const MAX_WORDS = 32;
const MAX_WORD = 256;

/** The FTS5 MATCH expression for `text`, or null when it has no letters or digits to look for. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/u)
    // A word without a letter or digit tokenises to nothing; FTS5 would match nothing for it.
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_WORDS)
    .map((w) => `"${w.slice(0, MAX_WORD).replace(/"/g, '""')}"*`);
  return words.length ? words.join(' ') : null;
}
