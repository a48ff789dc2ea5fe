import type { MiddlewareFn } from 'type-graphql';
import { requireViewer, type Context } from '../context.js';

/** Operations anyone may call without a token. */
const PUBLIC_ROOT_FIELDS = new Set(['Mutation.login']);

/** Every root field needs a signed-in, active viewer unless it is public; nothing can forget it. */
export const Authenticated: MiddlewareFn<Context> = ({ context, info }, next) => {
  if (info.path.prev === undefined && !PUBLIC_ROOT_FIELDS.has(`${info.parentType.name}.${info.fieldName}`)) {
    requireViewer(context);
  }
  return next();
};
