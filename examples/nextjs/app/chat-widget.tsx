'use client';
import { useEffect } from 'react';

/** Stands for a component that talks to a vendor once it is allowed to exist. */
export function ChatWidget() {
  useEffect(() => {
    document.title = 'allparty — chat on';
    return () => {
      document.title = 'allparty — Next.js example';
    };
  }, []);
  return <p data-example="chat">Chat with us: the Intercom messenger is on.</p>;
}
