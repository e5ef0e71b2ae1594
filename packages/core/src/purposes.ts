/** A purpose id: one of the built-ins or one the site defines in its config. */
export type PurposeId = string;

/** The built-in purposes; their ids are stable and used in records. */
export const BUILTIN_PURPOSES = [
  'necessary',
  'analytics',
  'advertising',
  'replay',
  'chat',
  'video',
  'maps',
] as const;

export type BuiltinPurpose = (typeof BUILTIN_PURPOSES)[number];

/** The one purpose that is always on. It can never carry a vendor that captures contents. */
export const NECESSARY: BuiltinPurpose = 'necessary';

/** Purposes whose vendors capture the contents of a communication (CIPA § 631). */
export const CONTENT_PURPOSES: readonly PurposeId[] = ['replay', 'chat'];

/**
 * Purposes Global Privacy Control opts out of: the sale or sharing of personal information (CCPA
 * regs § 7025). While GPC is on they stay off: Accept all leaves them off and no call grants them.
 */
export const GPC_PURPOSES: readonly PurposeId[] = ['advertising'];

/** A purpose id: a key in records and in the config. */
export const PURPOSE_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Whether a string is a well-formed purpose id. */
export function isPurposeId(value: string): boolean {
  return PURPOSE_ID.test(value);
}
