export type { CookieOption, LogServer, ServerOptions, StoreOption } from './server';
export { createServer, startServer } from './server';
