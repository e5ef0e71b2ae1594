// @vitest-environment node
import { CONTROLS, type ControlId } from '@allparty/core';
import { describe, expect, it } from 'vitest';
import { buildReceipt, canonicalBytes, generateCheckpointKeys, leafHash, signCheckpoint } from '../src/index';
import { makeRecord } from './helpers';

// A receipt names the control the visitor clicked in the words it had on screen, for every control
// whose click is a decision; it once said `you chose “withdraw”` for the one-click withdrawal.

const keys = generateCheckpointKeys();

/** The first summary line of a receipt for a one-record log whose record was made with `control`. */
function firstLine(control: ControlId): string {
  const record = makeRecord({ method: { type: 'control', control }, event: 'withdrawn' });
  const root = leafHash(canonicalBytes(record)).toString('base64');
  const checkpoint = signCheckpoint(
    { origin: 'test log', kind: 'seal', size: 1, root, time: new Date().toISOString() },
    keys,
  );
  const receipt = buildReceipt({
    record,
    noticeText: null,
    leafIndex: 0,
    treeSize: 1,
    hashes: [],
    checkpoint,
    publicKey: keys.publicKey,
  });
  return receipt.summary[0]!;
}

describe('receipt wording of each control', () => {
  it.each(CONTROLS.map((c) => [c]))('names %s by its label, not its id', (control) => {
    const quoted = /you chose “([^”]+)”/.exec(firstLine(control))?.[1];
    expect(quoted).toBeDefined();
    expect(quoted).not.toBe(control);
  });

  it('says what the launcher buttons said: Withdraw consent, Stop recording', () => {
    expect(firstLine('withdraw')).toContain('you chose “Withdraw consent” (withdrawn)');
    expect(firstLine('stop-recording')).toContain('you chose “Stop recording” (withdrawn)');
  });
});
