'use client';
import { useConsent } from '@allparty/react';

/** A client component: hooks run in the browser only. */
export function Controls() {
  const consent = useConsent();
  if (!consent.ready) return null;
  return (
    <p>
      <button type="button" data-example="preferences" onClick={() => consent.show({ preferences: true })}>
        Privacy choices
      </button>{' '}
      <button type="button" data-example="withdraw" onClick={() => consent.withdraw()}>
        Withdraw everything
      </button>{' '}
      <output data-example="state">{consent.state?.needsDecision ? 'undecided' : 'decided'}</output>
    </p>
  );
}
