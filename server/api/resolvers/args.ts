/** Argument checks shared by the resolvers: each failure is BAD_INPUT naming the argument. */
import { BlastError } from '../../model/errors.js';
import { parseId } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';

/** A normalised id (purls folded as the store folds them). */
export function idArg(raw: string, input: string): string {
  return parseId(raw, input).id;
}

/** An id that must be of one kind. */
export function idOfKind(raw: string, kind: NodeKind, input: string): string {
  const parsed = parseId(raw, input);
  if (parsed.kind !== kind) throw new BlastError('BAD_INPUT', `"${parsed.id}" is a ${parsed.kind} id, expected a ${kind}`, { input });
  return parsed.id;
}

/** An integer in [min, max]. */
export function intArg(value: number | null | undefined, fallback: number, min: number, max: number, input: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new BlastError('BAD_INPUT', `must be an integer from ${min} to ${max}, not ${String(n)}`, { input });
  }
  return n;
}

/** A list no longer than max. */
export function listArg<T>(value: readonly T[] | null | undefined, max: number, input: string): readonly T[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length > max) throw new BlastError('BAD_INPUT', `at most ${max} entries, not ${value.length}`, { input });
  return value;
}
