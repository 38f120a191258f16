import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const BIN = resolve('bin/handover.cjs');
const lint = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, REDIS_URL: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** A copy of the sample bot's manifest, dialogs and locales in a temp folder. */
function copyBot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'handover-lint-'));
  for (const p of ['manifest.json', 'dialogs', 'locales']) cpSync(p, join(dir, p), { recursive: true });
  return dir;
}
const edit = (dir: string, file: string, change: (o: Record<string, unknown>) => void) => {
  const p = join(dir, file);
  const o = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  change(o);
  writeFileSync(p, JSON.stringify(o, null, 2));
};

describe('handover lint (the command)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('passes the sample bot', () => {
    const r = lint(process.cwd());
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ok: manifest\.json, 15 dialogs, locales en, pt-BR, es$/m);
  });

  it('reports every fault of every file in one run, each with file, JSON path, the bad value and the valid ones', () => {
    const dir = copyBot();
    dirs.push(dir);
    // a schema error in the manifest, in two dialogs and in a locale; cross-reference and placeholder faults elsewhere
    edit(dir, 'manifest.json', (m) => {
      m.defaultLocale = 'fr';
    });
    edit(dir, 'locales/es.json', (t) => {
      t['handoff.notice'] = 'Te comunico con {queu}. {wait}';
      t['greeting.answer'] = 'Hola{ customer.name}!';
      t['broken'] = 5;
    });
    edit(dir, 'locales/pt-BR.json', (t) => {
      t['order_status.answer'] = 'O pedido {order_number} está {order.stauts}.';
      t['handoff.agent_joined'] = '{agnet} entrou na conversa.';
      t['handoff.wait_soon'] = 'Já vem alguém {minutes}.';
    });
    edit(dir, 'dialogs/order_status.json', (d) => {
      d.queue = 'suport';
      const steps = d.steps as Record<string, unknown>[];
      steps[0]!.entity = 'order_numbr';
      steps.push({ sya: 'order_status.answer' }, { say: 'order.not_fund' });
    });
    edit(dir, 'dialogs/return_item.json', (d) => {
      d.queue = 'biling';
    });
    writeFileSync(join(dir, 'dialogs', 'broken.json'), '{ "intent": "broken", ');
    edit(dir, 'locales/es.json', (t) => {
      t['handoff.resolvd'] = t['handoff.resolved'];
      delete t['handoff.resolved'];
    });
    const r = lint(dir);
    assert.equal(r.code, 2, r.out + r.err);
    const lines = r.err.trim().split('\n');
    const expected: RegExp[] = [
      /^manifest\.json: defaultLocale: "fr" is not a locale; valid: en, pt-BR, es$/,
      /^dialogs\/order_status\.json: steps\.0\.entity: "order_numbr" is not an entity kind — did you mean "order_number"\? valid: order_number, email, zip, amount, quantity, text$/,
      /^dialogs\/order_status\.json: steps\.3: \{"sya":"order_status\.answer"\} \(fields "sya"\) is not a step; expected one of \{ "slot"/,
      // the dialog with schema errors is still cross-checked
      /^dialogs\/order_status\.json: queue: unknown queue "suport" — did you mean "support"\? known: support, support_l2, billing, sales, retention, fraud, senior/,
      /^dialogs\/order_status\.json: steps\.4\.say: text key "order\.not_fund" is in no locale file — did you mean "order\.not_found"\?$/,
      /^dialogs\/return_item\.json: queue: unknown queue "biling" — did you mean "billing"\? known: support/,
      /^locales\/es\.json: broken: expected a text or a non-empty list of texts, got 5$/,
      /^dialogs\/broken\.json: .*JSON/,
      /^locales\/es\.json: handoff\.resolved: missing \(used by the handoff middleware\) — did you mean "handoff\.resolvd"\?$/,
      /^locales\/es\.json: handoff\.notice: unknown placeholder \{queu\} — did you mean \{queue\}\? valid: \{queue\}, \{wait\} — the customer would see "Te comunico con \. \{wait\}"$/,
      /^locales\/es\.json: greeting\.answer: a "\{" or "\}" that is not a placeholder/,
      /^locales\/pt-BR\.json: order_status\.answer: unknown placeholder \{order\.stauts\} — did you mean \{order\.status\}\? valid: \{customer\.name\}, \{customer\.comma_name\}, .*\{order\.status\}, \{order\.total\}/,
      /^locales\/pt-BR\.json: handoff\.agent_joined: unknown placeholder \{agnet\} — did you mean \{agent\}\? valid: \{agent\}/,
      /^locales\/pt-BR\.json: handoff\.wait_soon: unknown placeholder \{minutes\}; this text gets no values/,
    ];
    for (const re of expected) assert.ok(lines.some((l) => re.test(l)), `no line matches ${re}\n${r.err}`);
    assert.match(lines.at(-1)!, new RegExp(`^${lines.length - 1} problems \\(`));
    assert.equal(lines.length - 1, expected.length, r.err);
  });

  it('checks a translation against the reference text when no code or dialog renders the key', () => {
    const dir = copyBot();
    dirs.push(dir);
    edit(dir, 'locales/en.json', (t) => {
      t['promo.banner'] = 'Hi {customer.name}, {discount} off today';
    });
    edit(dir, 'locales/es.json', (t) => {
      t['promo.banner'] = 'Hola {customer.name}, {descuento} hoy';
    });
    edit(dir, 'locales/pt-BR.json', (t) => {
      t['promo.banner'] = 'Oi {customer.name}, {discount} hoje';
    });
    const r = lint(dir);
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /^locales\/es\.json: promo\.banner: unknown placeholder \{descuento\}; valid: \{customer\.name\}, \{discount\} — the customer would see "Hola \{customer\.name\},  hoy"$/m);
    assert.match(r.err, /^1 problem \(/m);
  });

  it('--dir lints another folder; an unknown option is refused', () => {
    const dir = copyBot();
    dirs.push(dir);
    edit(dir, 'dialogs/store_info.json', (d) => {
      d.flags = ['customer_requst'];
    });
    const r = lint(process.cwd(), '--dir', dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /dialogs\/store_info\.json: flags\.0: "customer_requst" is not an intent flag — did you mean "customer_request"\?/);
    assert.equal(lint(process.cwd(), '--bogus').code, 2);
  });

  it('a bot of your own (no dialogs/): passes with the handoff\'s neutral texts, its own queues and no locale file; catches a typo\'d override and a bad placeholder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handover-lint-own-'));
    dirs.push(dir);
    const manifest = {
      name: 'my-bot', version: '1.0.0', channels: ['webchat'], locales: ['en', 'es'], defaultLocale: 'en',
      queues: { help: { label: 'Help desk', slaSeconds: 300, agents: 2, avgHandleSeconds: 300 } },
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    let r = lint(dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ok: manifest\.json, no dialogs\/ \(your own bot: handoff texts are the neutral defaults under locales\/\), locales en, es$/m);
    // an override of its own: a typo'd key and a placeholder the text does not get
    const locales = join(dir, 'locales');
    mkdirSync(locales);
    writeFileSync(join(locales, 'en.json'), JSON.stringify({ 'handoff.notic': 'Passing you to {queue}.', 'handoff.notice': 'Passing you to {queu}.', 'my_bot.hello': 'Hi!' }));
    r = lint(dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /locales\/en\.json: handoff\.notic: not a text of the handoff — did you mean "handoff\.notice"\?/);
    assert.match(r.err, /locales\/en\.json: handoff\.notice: unknown placeholder \{queu\}/);
    assert.doesNotMatch(r.err, /my_bot\.hello/, 'the bot\'s own keys are its business');
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 3, `two problems and the summary: ${r.err}`);
    assert.doesNotMatch(lines.slice(0, -1).join('\n'), /dialogs|support_l2|senior|sales/, 'no dialogs/ and queues it never named are not problems');
  });
});

