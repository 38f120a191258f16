import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { AgentSessions } from '../../src/agent/agent-sessions.js';
import { ApiTokens } from '../../src/agent/api-tokens.js';
import { matchRoute } from '../../src/agent/api-routes.js';
import { parseCookies, type Principal } from '../../src/agent/console-auth.js';
import { eventVisibleTo } from '../../src/agent/console-socket-hub.js';
import { fillMacro, unfilledPlaceholders } from '../../src/agent/macros.js';
import { DECOY_HASH, hashPassword, verifyPassword } from '../../src/agent/password-hash.js';
import { hashPasswordCommand } from '../../src/cli/start.js';
import { ManualClock } from '../../src/core/clock.js';
import { isHandoverError } from '../../src/core/errors.js';
import { initialState } from '../../src/core/handoff-state.js';
import { agentId, conversationId, handoffId, queueId } from '../../src/core/ids.js';
import { MemoryDocumentStore } from '../../src/store/memory/index.js';
import { assignedState, queuedState } from '../support/states.js';

describe('agent console: building blocks', () => {
  describe('password hashes', () => {
    it('verifies the demo agents of manifest.json and nothing else', async () => {
      const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { console: { agents: { id: string; passwordHash: string }[] } };
      for (const a of manifest.console.agents) {
        assert.equal(await verifyPassword(`${a.id}-demo-password`, a.passwordHash), true, a.id);
        assert.equal(await verifyPassword(`${a.id}-demo-passwore`, a.passwordHash), false, a.id);
      }
    });

    it('hashes in the manifest format (scryptSync(password, salt, 64)) and treats malformed hashes as no match', async () => {
      const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
      const hash = await hashPassword('s3cret', salt);
      assert.equal(hash, `scrypt$${salt.toString('hex')}$${scryptSync('s3cret', salt, 64).toString('hex')}`);
      assert.equal(await verifyPassword('s3cret', hash), true);
      assert.equal(await verifyPassword('s3cret', 'plain-text'), false);
      assert.equal(await verifyPassword('s3cret', 'scrypt$abc$def'), false);
      assert.equal(await verifyPassword('', DECOY_HASH), false);
    });

    it('`handover hash-password` reads stdin and prints a hash that verifies', async () => {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = '';
      output.on('data', (d: Buffer) => (printed += d.toString()));
      input.end('correct horse battery staple\nignored second line\n');
      assert.equal(await hashPasswordCommand(input, output), 0);
      assert.match(printed, /^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}\n$/);
      assert.equal(await verifyPassword('correct horse battery staple', printed.trim()), true);
    });
  });

  describe('sessions in the DocumentStore', () => {
    it('are found by token until they expire, then deleted; only a hash of the token is stored', async () => {
      const clock = new ManualClock(1_000_000);
      const documents = new MemoryDocumentStore();
      const sessions = new AgentSessions({ documents, clock, ttlMs: 60_000 });
      const { token, session } = await sessions.create('ana');
      assert.equal(session.expiresAt, 1_060_000);
      assert.equal((await sessions.get(token))?.agentId, 'ana');
      assert.equal(await documents.read(`agent-session:${token}`), undefined, 'the raw token is not a key');
      // another process sharing the store validates the same cookie
      const other = new AgentSessions({ documents, clock, ttlMs: 60_000 });
      assert.equal((await other.get(token))?.agentId, 'ana');
      clock.advanceMs(60_000);
      assert.equal(await sessions.get(token), undefined);
      assert.equal(await documents.read(`agent-session:${AgentSessions.idOf(token)}`), undefined, 'expired sessions are removed');
      assert.equal(await sessions.get('not a token'), undefined);
      assert.equal(await sessions.get(undefined), undefined);
    });

    it('end on destroy', async () => {
      const sessions = new AgentSessions({ documents: new MemoryDocumentStore(), clock: new ManualClock(0), ttlMs: 60_000 });
      const { token } = await sessions.create('bruno');
      await sessions.destroy(token);
      assert.equal(await sessions.get(token), undefined);
    });
  });

  describe('HANDOVER_API_TOKENS', () => {
    it('maps tokens to desk names', () => {
      const tokens = ApiTokens.parse(' zendesk:0123456789abcdef0123 , freshdesk:abcdefghijklmnopqrst ');
      assert.equal(tokens.size, 2);
      assert.equal(tokens.nameOf('0123456789abcdef0123'), 'zendesk');
      assert.equal(tokens.nameOf('abcdefghijklmnopqrst'), 'freshdesk');
      assert.equal(tokens.nameOf('0123456789abcdef012'), undefined);
      assert.equal(tokens.nameOf(undefined), undefined);
      assert.equal(ApiTokens.parse(undefined).size, 0);
      assert.equal(ApiTokens.parse('').nameOf(''), undefined);
    });

    it('reports every malformed entry at once', () => {
      assert.throws(
        () => ApiTokens.parse('short:abc,no-colon,ok:0123456789abcdef0123'),
        (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && e.details.length === 2 && !e.message.includes('abc,'),
      );
    });
  });

  describe('cookies and routes', () => {
    it('parses a Cookie header', () => {
      const c = parseCookies('a=1; handover_agent=tok%2Den; handover_agent=second; broken; b="q"');
      assert.equal(c.get('handover_agent'), 'tok-en');
      assert.equal(c.get('a'), '1');
      assert.equal(c.get('b'), 'q');
      assert.equal(parseCookies(undefined).size, 0);
    });

    it('matches routes, decodes ids and tells a wrong method from an unknown path', () => {
      const m = matchRoute('POST', '/api/conversations/webchat%3Aabc/accept');
      assert.equal(m.kind, 'found');
      assert.equal(m.kind === 'found' && m.params['conversationId'], 'webchat:abc');
      assert.deepEqual(matchRoute('PUT', '/api/queues'), { kind: 'wrong-method', allowed: ['GET'] });
      assert.equal(matchRoute('GET', '/api/queues/support/extra').kind, 'none');
      assert.equal(matchRoute('GET', '/api/conversations/%E0%A4%A').kind, 'none', 'bad escapes are not found, not a crash');
      assert.equal(matchRoute('HEAD', '/api/openapi.json').kind, 'found');
    });
  });

  describe('macros', () => {
    const ctx = {
      agent: { id: 'ana', name: 'Ana' },
      customer: { id: 'c-1001', name: 'Dana Reyes', email: 'dana@example.com' },
      collected: { order_number: 'A12345', amount: 42.5 },
    };
    it('fill agent, customer and collected placeholders', () => {
      assert.equal(fillMacro('Hi {customer.name}, I am {agent.name}.', ctx), 'Hi Dana Reyes, I am Ana.');
      assert.equal(fillMacro('Order {order_number} ({collected.amount})', ctx), 'Order A12345 (42.5)');
      assert.equal(fillMacro('Mail {customer.email}', ctx), 'Mail dana@example.com');
    });
    it('leave unknown placeholders for the agent to fill', () => {
      const text = fillMacro('Hi {customer.name}, order {order_number}', { agent: ctx.agent, customer: null, collected: {} });
      assert.equal(text, 'Hi {customer.name}, order {order_number}');
      assert.deepEqual(unfilledPlaceholders(text), ['customer.name', 'order_number']);
      assert.equal(fillMacro('Hi {customer.name}', { agent: ctx.agent, customer: null, collected: { name: 'Lee' } }), 'Hi Lee');
    });
  });

  describe('who hears which event on /agent/ws', () => {
    const agent = (id: string, queues: string[]): Principal => ({ kind: 'agent', agent: { id, name: id, role: 'agent', queues }, sessionToken: 'x' });
    const ana = agent('ana', ['support', 'billing']);
    const bruno = agent('bruno', ['sales']);
    const id = conversationId('webchat:1');
    const queued = queuedState({ queue: 'support', version: 2 });
    const assignedToAna = assignedState({ queue: 'support', agent: 'ana', version: 2 });
    const requested = { type: 'handoff.requested' as const, conversationId: id, at: 0, handoffId: handoffId('h'), queue: queueId('support'), priority: 1, reason: 'customer_request' as const, slaDeadline: 1 };
    const message = { type: 'customer.message' as const, conversationId: id, at: 0, text: 'hi', activityType: 'message' };

    it('agents hear their queues and their own conversations; supervisors hear everything', () => {
      assert.equal(eventVisibleTo(ana, ['support', 'billing'], false, requested, queued), true);
      assert.equal(eventVisibleTo(bruno, ['sales'], false, requested, queued), false);
      assert.equal(eventVisibleTo(ana, ['support', 'billing'], false, message, assignedToAna), true);
      assert.equal(eventVisibleTo(bruno, ['sales'], false, message, assignedToAna), false);
      assert.equal(eventVisibleTo(bruno, ['sales'], true, message, assignedToAna), true);
      const transferred = { type: 'handoff.transferred' as const, conversationId: id, at: 0, handoffId: handoffId('h'), from: queueId('support'), to: queueId('sales'), reason: 'customer_request' as const };
      assert.equal(eventVisibleTo(bruno, ['sales'], false, transferred, queuedState({ queue: 'sales' })), true);
      assert.equal(eventVisibleTo(ana, ['support', 'billing'], false, transferred, queuedState({ queue: 'sales' })), true, 'it left her queue');
    });
  });
});
