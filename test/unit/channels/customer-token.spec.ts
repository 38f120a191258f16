import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { CustomerTokens, customerIdentityFromEnv, identify, signCustomerToken } from '../../../src/channels/webchat/customer-token.js';

const SECRET = 'site-customer-secret-0123456789abcdef';
const t0 = Date.UTC(2026, 11, 3, 8, 0, 0);

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isHandoverError(e)) return e.code;
    throw e;
  }
  return 'no error';
};

/** Any JWT library's HS256 token, written out by hand. */
function jwt(secret: string, header: object, payload: object): string {
  const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b(header)}.${b(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('web chat customer tokens (HS256 JWT)', () => {
  it('verifies a token it signed: the customer id, the name and the expiry', () => {
    const clock = new ManualClock(t0);
    const tokens = new CustomerTokens({ secret: SECRET, clock });
    const token = tokens.sign({ sub: 'c-1001', name: 'Dana Reyes', ttlSeconds: 600 });
    assert.equal(token.split('.').length, 3);
    assert.deepEqual(tokens.verify(token), { customerId: 'c-1001', name: 'Dana Reyes', expiresAt: t0 + 600_000 });
  });

  it('accepts a standard HS256 JWT signed elsewhere (the docs example) with iat/exp', () => {
    const tokens = new CustomerTokens({ secret: SECRET, clock: new ManualClock(t0) });
    const token = jwt(SECRET, { alg: 'HS256', typ: 'JWT' }, { sub: '15550100001@c.us', exp: t0 / 1000 + 300, iat: t0 / 1000 });
    assert.equal(tokens.verify(token).customerId, '15550100001@c.us');
    // the standalone signer gives the same kind of token
    assert.equal(tokens.verify(signCustomerToken(SECRET, { sub: 'c-2001' }, t0)).customerId, 'c-2001');
  });

  it('refuses an expired token (past exp + 30 s leeway) with HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED', () => {
    const clock = new ManualClock(t0);
    const tokens = new CustomerTokens({ secret: SECRET, clock });
    const token = tokens.sign({ sub: 'c-1001', ttlSeconds: 60 });
    clock.advanceMs(60_000 + 29_000);
    assert.equal(tokens.verify(token).customerId, 'c-1001', 'within the leeway');
    clock.advanceMs(1_000);
    assert.equal(code(() => tokens.verify(token)), 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED');
    const notYet = jwt(SECRET, { alg: 'HS256' }, { sub: 'c-1001', exp: t0 / 1000 + 3600, nbf: t0 / 1000 + 1800 });
    assert.equal(code(() => new CustomerTokens({ secret: SECRET, clock: new ManualClock(t0) }).verify(notYet)), 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED');
  });

  it('refuses a tampered token: another customer id or a longer expiry in the payload', () => {
    const tokens = new CustomerTokens({ secret: SECRET, clock: new ManualClock(t0) });
    const token = tokens.sign({ sub: 'c-3001', ttlSeconds: 60 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    for (const changed of [{ ...claims, sub: 'c-1001' }, { ...claims, exp: (claims['exp'] as number) + 86_400 }]) {
      const forged = `${h}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${s}`;
      assert.equal(code(() => tokens.verify(forged)), 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID');
    }
    // one flipped character of the signature
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    assert.equal(code(() => tokens.verify(flipped)), 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID');
  });

  it('refuses a token signed with another secret, alg "none", a missing sub or exp, and junk', () => {
    const tokens = new CustomerTokens({ secret: SECRET, clock: new ManualClock(t0) });
    const exp = t0 / 1000 + 600;
    const cases: Array<[string, string]> = [
      ['wrong secret', jwt('another-secret-0123456789abcdefghijkl', { alg: 'HS256' }, { sub: 'c-1001', exp })],
      ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'c-1001', exp })).toString('base64url')}.`],
      ['alg HS512', jwt(SECRET, { alg: 'HS512' }, { sub: 'c-1001', exp })],
      ['no sub', jwt(SECRET, { alg: 'HS256' }, { exp })],
      ['sub with spaces', jwt(SECRET, { alg: 'HS256' }, { sub: 'c 1001', exp })],
      ['no exp', jwt(SECRET, { alg: 'HS256' }, { sub: 'c-1001' })],
      ['two parts', 'abc.def'],
      ['not base64 json', 'a.b.c'],
    ];
    for (const [what, token] of cases) assert.equal(code(() => tokens.verify(token)), 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', what);
    assert.match(
      (() => {
        try {
          tokens.verify(cases[0]![1]);
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })(),
      /signature does not match/,
    );
  });

  it('a short secret is a configuration error; identify() decides anonymous visitors', () => {
    assert.equal(code(() => new CustomerTokens({ secret: 'short' })), 'HANDOVER_ERR_CONFIG_INVALID');
    const tokens = new CustomerTokens({ secret: SECRET, clock: new ManualClock(t0) });
    assert.equal(identify({ tokens }, undefined), undefined, 'no token: anonymous (allowed by default)');
    assert.equal(code(() => identify({ tokens, anonymous: false }, undefined)), 'HANDOVER_ERR_UNAUTHORIZED');
    assert.equal(code(() => identify({}, tokens.sign({ sub: 'c-1001' }))), 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID', 'a token without a configured secret is refused, never ignored');
    assert.equal(identify({ tokens }, tokens.sign({ sub: 'c-1001' }))?.customerId, 'c-1001');
  });

  it('is exported from the package for the site\'s server', async () => {
    const pkg = await import('../../../src/index.js');
    assert.equal(pkg.signCustomerToken, signCustomerToken);
    assert.equal(pkg.CustomerTokens, CustomerTokens);
  });

  it('reads WEBCHAT_CUSTOMER_SECRET and WEBCHAT_ANONYMOUS from the environment', () => {
    assert.deepEqual(customerIdentityFromEnv({}), { anonymous: true });
    const fromEnv = customerIdentityFromEnv({ WEBCHAT_CUSTOMER_SECRET: SECRET, WEBCHAT_ANONYMOUS: 'off' });
    assert.equal(fromEnv.anonymous, false);
    assert.ok(fromEnv.tokens instanceof CustomerTokens);
    assert.equal(code(() => customerIdentityFromEnv({ WEBCHAT_ANONYMOUS: 'off' })), 'HANDOVER_ERR_CONFIG_INVALID');
    assert.equal(code(() => customerIdentityFromEnv({ WEBCHAT_ANONYMOUS: 'maybe' })), 'HANDOVER_ERR_CONFIG_INVALID');
  });
});
