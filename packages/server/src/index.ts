export type { CookieOption, LogServer, ServerOptions, StoreOption } from './server';
export { createServer, startServer } from './server';
export type { Witness, WitnessOptions, WitnessPublisher } from './witness';
export { createWitness, createWitnessPublisher } from './witness';
