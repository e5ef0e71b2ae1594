import Script from 'next/script';
import type { ReactNode } from 'react';
import { allpartyConfig } from './config';

export const metadata = { title: 'allparty — Next.js example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        {/* The config, then the embed before any of the app's code (next/script's beforeInteractive). */}
        <script
          type="application/json"
          id="allparty-config"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: our own constant, serialized as JSON
          dangerouslySetInnerHTML={{ __html: JSON.stringify(allpartyConfig) }}
        />
        <Script src="/allparty/allparty.js" strategy="beforeInteractive" />
      </head>
      <body>{children}</body>
    </html>
  );
}
