import { createContext, useContext } from 'react';

/**
 * The per-request CSP nonce (entry.server.tsx provides it while rendering a document). In the
 * browser it is empty: browsers hide nonce attributes from the DOM, and hydration keeps them.
 */
const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
export function useNonce(): string {
  return useContext(NonceContext);
}
