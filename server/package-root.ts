/**
 * The package root, found by walking up from this module to the nearest package.json. The same code
 * runs from server/ (vitest, tsx) and from dist/server/ (compiled), and both must find the files that
 * are not compiled: the .graphql schema and the built web explorer.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The absolute folder holding this project's package.json. */
export function packageRoot(from: string = import.meta.url): string {
  if (cached !== undefined && from === import.meta.url) return cached;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) break;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  if (from === import.meta.url) cached = dir;
  return dir;
}
