/** oidc-provider 9 is ESM-only: loaded with a real import() (see jest.config.js, `*.esm.ts`). */
export type OidcProviderModule = typeof import('oidc-provider', { with: { 'resolution-mode': 'import' } });

export function loadOidcProvider(): Promise<OidcProviderModule> {
  return import('oidc-provider');
}
