/**
 * Setup for the unit tests (vitest.config.ts `setupFiles`). The test page is hermetic: happy-dom
 * never loads a frame, and says so for each one with a DOMException and its stack on the console
 * ("Iframe page loading is disabled"), which a passing run would print by the dozen. Only that
 * message is dropped; every other console error still reaches the output. happy-dom writes to
 * Node's own console (the one `node:console` exports), which vitest's per-test console wraps.
 */
import nodeConsole from 'node:console';

const FRAME_NOT_LOADED = /^Failed to load iframe page ".*"\. Iframe page loading is disabled\.$/;

if (typeof window !== 'undefined' && 'happyDOM' in window) {
  const error = nodeConsole.error;
  nodeConsole.error = (...args: unknown[]) => {
    const [first] = args;
    const message = typeof first === 'object' && first !== null && 'message' in first ? first.message : null;
    if (typeof message === 'string' && FRAME_NOT_LOADED.test(message)) return;
    error.apply(nodeConsole, args);
  };
}
