import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const BIN = resolve('bin/handover.cjs');
const env = { ...process.env, REDIS_URL: '' };

/**
 * Run `handover chat` with piped stdin, writing `lines` one by one; stdin stays open (as a terminal
 * does), so the process must end by itself on /quit. Resolves with the exit code and stdout.
 */
function chat(lines: string[], args: string[] = [], timeoutMs = 45_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, 'chat', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      fail(new Error(`chat did not exit within ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
    p.stdin.write(lines.map((l) => `${l}\n`).join(''));
    // never end stdin: /quit alone must end the demo
  });
}

/** The session the README shows (the ```text block after `<!-- chat-walkthrough -->`). */
function readmeSession(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const m = /<!-- chat-walkthrough -->\n```text\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(m, 'README.md has no chat walk-through block');
  return m[1]!.split('\n');
}

describe('handover chat (the terminal demo)', function () {
  this.timeout(60_000);

  it("runs the README's walk-through exactly as written: transfer, accept again, return with a settled field, and /quit ends it", async () => {
    const session = readmeSession();
    assert.ok(session.includes('/transfer billing') && session.at(-1) === '/quit', session.join('\n'));
    const r = await chat(session);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /^error:/m, r.out);
    const expected = [
      /^console: new handoff for Customer support \(reason customer_request, priority \d\); type \/accept$/m,
      /^briefing:customer_request → Customer support/m,
      /^agent: {3}Hi, I'm Ana$/m,
      /^console: transferred to Billing; the chat waits there — \/accept takes it as Ana$/m,
      /^console: you are Ana \(Billing\)$/m,
      /^console: returned to the bot with order_number=A12345$/m,
      // the bot answers again and does not ask for the number the agent settled
      /^bot: {5}Order A12345 is shipped\.$/m,
    ];
    for (const re of expected) assert.match(r.out, re, r.out);
    const afterReturn = r.out.slice(r.out.indexOf('returned to the bot'));
    assert.doesNotMatch(afterReturn, /what's your order number/);
    // labels, not queue ids, where the demo names a queue
    assert.doesNotMatch(r.out, /"support"|queue "|→ support\b|in billing\b/);
  });

  it('ignores empty lines, resolves, lists queues by name, and suggests a queue for a typo', async () => {
    const r = await chat(['', '   ', 'I want to talk to a person', '', '/transfer biling', '/accept', '/queue', '/resolve', '/quit']);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /^you: *$/m);
    assert.equal(r.out.match(/^you:/gm)?.length, 1, r.out);
    assert.match(r.out, /^console: unknown queue "biling" — did you mean "billing"\? queues: support, support_l2, billing, /m);
    assert.match(r.out, /^queue: {3}Support, level 2: 0 waiting \(\/transfer support_l2\)$/m);
    assert.match(r.out, /^system: {2}Ana has closed the conversation/m);
    assert.match(r.out, /from 1 \(poor\) to 5 \(great\)/);
  });

  it('--help documents --customer and --locale; a bad flag or locale is refused', () => {
    const help = spawnSync(process.execPath, [BIN, 'chat', '--help'], { env, encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--customer ID/);
    assert.match(help.stdout, /--locale en\|pt-BR\|es/);
    const top = spawnSync(process.execPath, [BIN, 'help'], { env, encoding: 'utf8' });
    assert.match(top.stdout, /chat \[--customer ID\] \[--locale en\|pt-BR\|es\]/);
    const badLocale = spawnSync(process.execPath, [BIN, 'chat', '--locale', 'pt'], { env, encoding: 'utf8', input: '' });
    assert.equal(badLocale.status, 2);
    assert.match(badLocale.stderr, /--locale: unknown locale "pt"/);
    assert.equal(spawnSync(process.execPath, [BIN, 'chat', '--bogus'], { env, encoding: 'utf8', input: '' }).status, 2);
  });

  it('--customer with an id not in data/customers.json is an anonymous visitor; --locale sets the language', async () => {
    const anon = await chat(['oi, tudo bem?', '/quit'], ['--customer', 'c-9999', '--locale', 'pt-BR']);
    assert.equal(anon.code, 0);
    assert.match(anon.out, /you are an anonymous visitor \(c-9999 is not in data\/customers\.json\)/);
    assert.match(anon.out, /^bot: {5}Olá/m);
  });

  it('/quit ends the demo in an interactive terminal (a pseudo-terminal through script(1))', async () => {
    // script gives the demo a real TTY as stdin; the input side stays open for 30 s after /quit
    const started = Date.now();
    const r = await new Promise<{ code: number | null; out: string }>((done) => {
      const p = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} chat; echo "EXIT=$?"`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let step = 0;
      p.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // type once the demo listens (its banner is out), then /quit once the bot answered
        if (step === 0 && out.includes('Agent commands')) {
          step = 1;
          setTimeout(() => p.stdin.write('hi\r'), 1000);
        } else if (step === 1 && /bot: +Hi/.test(out)) {
          step = 2;
          p.stdin.write('\r/quit\r');
        }
      });
      const timer = setTimeout(() => p.kill('SIGKILL'), 40_000);
      p.on('exit', (code) => {
        clearTimeout(timer);
        done({ code, out });
      });
    });
    assert.match(r.out, /EXIT=0/, r.out);
    assert.ok(Date.now() - started < 35_000, 'took until the timeout');
  });
});
