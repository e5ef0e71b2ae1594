/**
 * Entry of `allparty-queue.js`, the lazy chunk that sends consent records to the log. The
 * embed's main bundle stores every record the moment it is made (R18); it loads this chunk
 * after a decision, or at start-up when records from an earlier page view still wait.
 */
import {
  CHUNK_GLOBALS,
  type Consent,
  createQueueSender,
  type QueueSender,
  type QueueStore,
  type RecordQueueOptions,
} from '@allparty/core';

declare global {
  interface Window {
    /** Starts sending what `store` holds (set by `allparty-queue.js`). */
    [CHUNK_GLOBALS.queue]?: (consent: Consent, store: QueueStore, options: RecordQueueOptions) => QueueSender;
  }
}

window.allpartyQueue = (consent, store, options) => {
  const sender = createQueueSender(consent, store, options);
  sender.start();
  return sender;
};
