/**
 * openid-client 6 is published as ES modules only. The app is CommonJS, so it is loaded with a
 * real dynamic import(): Node 20 and tsx run it as is, and jest keeps it (files named
 * `*.esm.ts` are compiled with swc's `ignoreDynamic`, see jest.config.js).
 */
export type OpenIdClient = typeof import('openid-client', { with: { 'resolution-mode': 'import' } });

let loading: Promise<OpenIdClient> | undefined;

export function loadOpenIdClient(): Promise<OpenIdClient> {
  loading ??= import('openid-client');
  return loading;
}
