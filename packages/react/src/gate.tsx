/** @jsxImportSource react */
import type { PurposeId } from '@allparty/core';
import type { ReactNode } from 'react';
import { useConsent } from './use-consent';

/** What {@link Gate} takes. */
export interface GateProps {
  /** The purpose (or purposes, all required) the children need. */
  purpose: PurposeId | readonly PurposeId[];
  /** The vendor the children load, which must be granted too. */
  vendor?: string;
  /** Rendered instead: on the server, before the instance is known, and while not granted. @default null */
  fallback?: ReactNode;
  children?: ReactNode;
}

/**
 * Renders its children only once the purpose (and vendor) is granted, and unmounts them on a
 * withdrawal, so a component that starts a vendor never runs before consent.
 */
export function Gate({ purpose, vendor, fallback = null, children }: GateProps) {
  const consent = useConsent();
  const purposes: readonly PurposeId[] = typeof purpose === 'string' ? [purpose] : purpose;
  const granted = consent.ready && purposes.every((p) => consent.has(p, vendor));
  return <>{granted ? children : fallback}</>;
}
