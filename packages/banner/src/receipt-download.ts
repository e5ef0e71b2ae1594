import type { Consent } from '@allparty/core';
import type { LayerProps } from './ui';

/** The receipt control's state and its click. */
export interface ReceiptDownload {
  /** The status text key to show (null before the first click). */
  status(): LayerProps['receipt'];
  /** Downloads the receipt of the latest decision (ignored while one is on its way). */
  request(): void;
}

/**
 * R20: the visitor's receipt of their latest decision, from the log (docs/server.md). While the
 * decision waits for a signed checkpoint the log answers 409, and 404 while the record is still on
 * its way from this browser's queue: it asks again a few times. One download at a time: further
 * clicks wait for this one (and its retries) to end. `changed` redraws the status.
 */
export function createReceiptDownload(
  consent: Consent,
  endpoint: string,
  doc: Document,
  changed: () => void,
): ReceiptDownload {
  let status: LayerProps['receipt'] = null;
  let fetching = false;
  const get = async (tries: number): Promise<void> => {
    const { subject, record } = consent.get();
    fetching = true;
    status = 'receiptFailed';
    try {
      const r = await fetch(`${endpoint.replace(/\/+$/, '')}/v1/receipts/latest`, {
        method: 'POST',
        body: JSON.stringify({ subject, record }),
      });
      if ((r.status === 409 || r.status === 404) && tries) {
        status = 'receiptPending';
        setTimeout(get, 3e3, tries - 1);
      } else if (r.ok) {
        const a = doc.createElement('a');
        a.href = URL.createObjectURL(await r.blob());
        a.download = 'consent-receipt.html';
        a.click();
        // The download has its own copy once it starts; free the blob after a while.
        setTimeout(URL.revokeObjectURL, 6e4, a.href);
        status = 'receiptDone';
      }
    } catch {}
    fetching = status === 'receiptPending';
    changed();
  };
  return {
    status: () => status,
    request() {
      if (!fetching) void get(9);
    },
  };
}
