/**
 * Values of known meaning a node may carry, checked where every batch is validated (record.ts): a
 * number prop that is not a number (`sizeBytes: "huge"`) or a name that is not Unicode text was
 * stored quietly before. Each refusal is a BAD_INPUT naming the input and the pointer.
 */
import { badInput } from './errors.js';
import type { Props } from './types.js';

/** Props that hold a count or an amount: a finite number, at least 0. */
export const NUMBER_PROPS = ['sizeBytes', 'records', 'notifyWithinHours'] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function checkNodeValues(name: unknown, props: Props, input: string, pointer: string): void {
  if (typeof name === 'string' && LONE_SURROGATE.test(name)) {
    throw badInput('name must be valid Unicode text (it holds a lone UTF-16 surrogate)', input, `${pointer}/name`);
  }
  for (const key of NUMBER_PROPS) {
    const v = props[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw badInput(`${key} must be a number of at least 0, not ${typeof v === "number" ? v : `a ${typeof v}`}`, input, `${pointer}/props/${key}`);
    }
  }
}
