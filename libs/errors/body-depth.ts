import { ApiError } from './error-envelope.js';

export const MAX_BODY_DEPTH = 32;

/** Depth of a parsed JSON value, counted without recursion so hostile input cannot overflow the stack. */
export function jsonDepth(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Bodies nested deeper than any real request are refused before code walks them recursively. */
export function assertBodyDepth(body: unknown): void {
  if (jsonDepth(body) > MAX_BODY_DEPTH) {
    throw new ApiError(400, {
      reason: `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`,
    });
  }
}
