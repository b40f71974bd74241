// oidc-provider 9 ships no type declarations (the DefinitelyTyped ones lag behind): the test
// helper that drives it (proconnect.ts) uses it untyped.
declare module 'oidc-provider';
