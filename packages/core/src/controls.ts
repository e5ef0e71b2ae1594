/**
 * The controls whose click is a decision: each is a `data-allparty-action` value (DESIGN.md "UI
 * hooks") and goes into the record as `method.control`, so records, receipts and the audit say
 * which one the visitor used. A new control is added here; every table keyed by `ControlId` (the
 * receipt's wording, for one) then fails to compile until it names it too.
 */
export const CONTROLS = [
  'accept-all',
  'reject-all',
  'save',
  'chat-accept',
  'chat-decline',
  'embed-always',
  'withdraw',
  'stop-recording',
] as const;

/** A control whose click is recorded as the decision's method. */
export type ControlId = (typeof CONTROLS)[number];
