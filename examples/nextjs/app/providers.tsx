'use client';
import { ConsentProvider } from '@allparty/react';
import type { ReactNode } from 'react';

export function Providers({ children }: { children: ReactNode }) {
  return <ConsentProvider>{children}</ConsentProvider>;
}
