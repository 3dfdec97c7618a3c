/** `viewer`: the caller's role. */
import type { ApiContext } from '../context.js';

export const viewerResolvers = {
  Query: {
    viewer: (_: unknown, __: unknown, ctx: ApiContext) => ({ role: ctx.role, authRequired: ctx.authRequired }),
  },
};
