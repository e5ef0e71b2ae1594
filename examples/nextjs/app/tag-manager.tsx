'use client';
import { useEffect } from 'react';

/**
 * Stands for a tag manager that injects a vendor's script as soon as the app mounts, consent or
 * not: the embed's guard holds the request until that vendor is granted, then releases it.
 */
export function TagManager() {
  useEffect(() => {
    const script = document.createElement('script');
    script.src = 'https://static.hotjar.com/c/hotjar-1234567.js?sv=6';
    script.async = true;
    document.head.append(script);
  }, []);
  return null;
}
