/** ProConnect: failures classified by step (pure), and the settings read from the environment. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../../server/config';
import { classifyProConnectError, isUnreachable, type ProConnectStep } from '../../../server/auth/proconnect.errors';

// Shapes as openid-client 6 / oauth4webapi 3 throw them (ClientError wrapping an OperationProcessingError).
const wrapped = (code: string, cause: object) => ({ name: 'ClientError', code, message: 'x', cause: { name: 'OperationProcessingError', code, cause } });
const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('classifyProConnectError', () => {
  const cases: [string, ProConnectStep, unknown, number, string, string][] = [
    ['connection refused at discovery', 'discovery', fetchFailed('ECONNREFUSED'), 503, 'proconnect_unreachable', 'lecture de la configuration'],
    ['DNS failure at the token step', 'token', fetchFailed('ENOTFOUND'), 503, 'proconnect_unreachable', 'échange du code'],
    ['timeout at userinfo', 'userinfo', Object.assign(new Error('t'), { name: 'TimeoutError' }), 503, 'proconnect_unreachable', 'lecture de l’identité'],
    ['a 500 from the discovery document', 'discovery', wrapped('OAUTH_RESPONSE_IS_NOT_CONFORM', {}), 503, 'proconnect_unreachable', 'lecture de la configuration'],
    ['state compared by the library', 'token', wrapped('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', { attribute: 'state' }), 400, 'proconnect_state_mismatch', 'paramètre state'],
    ['our own state check', 'state', new Error('state mismatch'), 400, 'proconnect_state_mismatch', 'paramètre state'],
    ['nonce of the ID token', 'token', wrapped('OAUTH_JWT_CLAIM_COMPARISON_FAILED', { claim: 'nonce' }), 400, 'proconnect_nonce_mismatch', 'nonce'],
    ['expired ID token', 'token', wrapped('OAUTH_JWT_TIMESTAMP_CHECK_FAILED', { claim: 'exp' }), 502, 'proconnect_clock', 'horloge'],
    ['invalid_grant at the token endpoint', 'token', { name: 'ResponseBodyError', error: 'invalid_grant', code: 'OAUTH_RESPONSE_BODY_ERROR' }, 502, 'proconnect_token_refused', 'échange du code'],
    ['agent cancelled at ProConnect', 'authorization', { error: 'access_denied' }, 401, 'proconnect_denied', 'autorisation sur ProConnect'],
    ['other error sent back by ProConnect', 'authorization', { error: 'server_error' }, 502, 'proconnect_authorization_error', 'autorisation sur ProConnect'],
    ['unsigned userinfo when a JWT was expected', 'userinfo', wrapped('OAUTH_JWT_USERINFO_EXPECTED', {}), 502, 'proconnect_userinfo_failed', 'lecture de l’identité'],
    ['bad signature on userinfo', 'userinfo', wrapped('OAUTH_INVALID_RESPONSE', {}), 502, 'proconnect_userinfo_failed', 'lecture de l’identité'],
    ['logout URL cannot be built', 'logout', new Error('no end_session_endpoint'), 502, 'proconnect_logout_failed', 'déconnexion de ProConnect'],
  ];
  it.each(cases.map(([label, step, err, status, code, words]) => ({ label, step, err, status, code, words })))('when $label, then $status $code naming the step', ({ step, err, status, code, words }) => {
    const e = classifyProConnectError(step, err);
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.message).toContain(words);
    expect(e.message).toMatch(/étape/);
  });

  it('when the error carries tokens or claims, then the message repeats none of them', () => {
    const e = classifyProConnectError('token', { error: 'invalid_grant', error_description: 'code eyJhbGciOi.secret for agent@interieur.gouv.fr' });
    expect(e.message).not.toMatch(/eyJ|@/);
  });

  it.each([
    [fetchFailed('ECONNRESET'), true],
    [fetchFailed('UND_ERR_CONNECT_TIMEOUT'), true],
    [new TypeError('fetch failed'), true],
    [new TypeError('Invalid URL'), false],
    [wrapped('OAUTH_INVALID_RESPONSE', {}), false],
  ])('isUnreachable: case %# gives %p', (err, expected) => {
    expect(isUnreachable(err)).toBe(expected);
  });
});

describe('ProConnect settings', () => {
  const base = { PUBLIC_URL: 'https://qualimetre.example.gouv.fr/', PROCONNECT_CLIENT_ID: 'cid', PROCONNECT_CLIENT_SECRET: 's3cret' };

  it('when nothing is set, then ProConnect is off', () => {
    expect(parseConfig({}).proconnect).toBeNull();
  });

  it('when the discovery URL is given, then the issuer, scopes and redirect URIs derive from it and PUBLIC_URL', () => {
    const c = parseConfig({ ...base, PROCONNECT_DISCOVERY_URL: 'https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration', PROCONNECT_ACR_VALUES: 'eidas1' });
    expect(c.proconnect).toEqual({
      issuer: 'https://auth.agentconnect.gouv.fr/api/v2',
      clientId: 'cid',
      clientSecret: 's3cret',
      scopes: 'openid email given_name usual_name uid siret idp_id',
      acrValues: ['eidas1'],
      signingAlg: 'RS256',
      redirectUri: 'https://qualimetre.example.gouv.fr/proconnect/retour',
      postLogoutRedirectUri: 'https://qualimetre.example.gouv.fr/proconnect/deconnexion',
    });
  });

  it('when the secret comes from a file, then it is read from there', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qm-pc-')), 'secret');
    fs.writeFileSync(file, 'from-file\n');
    const c = parseConfig({ ...base, PROCONNECT_CLIENT_SECRET: undefined, PROCONNECT_CLIENT_SECRET_FILE: file, PROCONNECT_DISCOVERY_URL: 'https://op.example/api/v2' });
    expect(c.proconnect?.clientSecret).toBe('from-file');
  });

  it('when the client id is set without the rest, then every missing setting is listed', () => {
    try {
      parseConfig({ PROCONNECT_CLIENT_ID: 'cid', PROCONNECT_SCOPES: 'email' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const key of ['PROCONNECT_DISCOVERY_URL', 'PROCONNECT_CLIENT_SECRET', 'PUBLIC_URL', 'PROCONNECT_SCOPES']) expect(problems).toContain(key);
    }
  });
});
