/**
 * docs/your-bot.md, as a developer would follow it: every code block marked
 * `<!-- test: your-bot file=PATH -->` is written to PATH in a fresh project that installed the
 * packed package (test/support/packed-package.ts, shared with the package test), compiled with
 * `tsc --strict`, and run:
 *
 * - the guide's own TestAdapter test (`node --test dist/bot.test.js`, memory store);
 * - the guide's bot (`node dist/index.js`: node:http, CloudAdapter, ConfigurationBotFrameworkAuthentication)
 *   against a local Bot Connector stand-in (test/support/bot-connector.ts, the CloudAdapter test's),
 *   on Redis, with the installed package's `handover start` in the same folder as the agents' side
 *   (its HTTP API with a desk token): a customer asks for a person, the briefing reaches the desk
 *   webhook the guide names (never the customer), Ana accepts and writes through the API, her line
 *   reaches the customer through the connector, the customer's next line does not reach the bot,
 *   Ana returns the chat with the order number and the bot answers with it; and the triggers the
 *   guide says its calls enable (revenue_risk to billing, low_confidence, requestHandoff) fire.
 *
 * Any wrong API, signature or claim in those blocks fails here.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Activity } from 'botbuilder';
import { startConnector } from '../support/bot-connector.js';
import { conversationApi, deskCall, eventually, startHandoverProcess, type HandoverProcess } from '../support/handover-processes.js';
import { buildIfStale, check, linkFromRepo, packageEnv, packedPackage, repo } from '../support/packed-package.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

const GUIDE = join(repo, 'docs', 'your-bot.md');

/** The guide's blocks marked for this test: PATH → content. */
function markedBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of markdown.matchAll(/<!-- test: your-bot file=(\S+) -->\n```\w*\n([\s\S]*?)```/g)) {
    assert.ok(!blocks.has(m[1]!), `${m[1]} is marked twice`);
    blocks.set(m[1]!, m[2]!);
  }
  return blocks;
}

/** A desk's webhook: what the guide's `initiate` POSTs (DESK_WEBHOOK_URL). */
async function startDeskWebhook(): Promise<{ url: string; events: Partial<Activity>[]; close(): Promise<void> }> {
  const events: Partial<Activity>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/handoffs`, events, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `node dist/index.js` in the project, resolved once it says where it listens. */
async function startBot(project: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcessWithoutNullStreams; output(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['dist/index.js'], { cwd: project, env, stdio: 'pipe' });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/localhost:\d+\/api\/messages)/.exec(output);
      if (m !== null) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`the guide's bot exited before listening:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe("docs/your-bot.md: the guide's bot, compiled against the installed package and run on CloudAdapter", function () {
  let project = '';

  before(function () {
    this.timeout(300_000);
    buildIfStale();
    const pkg = packedPackage();
    project = join(pkg.tmp, 'your-bot');
    // the project's node_modules: what the guide installs (handover and its dependencies, botbuilder, typescript's @types/node)
    const nodeModules = join(project, 'node_modules');
    mkdirSync(nodeModules, { recursive: true });
    for (const dep of pkg.dependencies) linkFromRepo(nodeModules, dep);
    // handover itself from the tarball, not from this repository
    symlinkSync(join(pkg.app, 'node_modules', 'handover'), join(nodeModules, 'handover'), 'junction');
    linkFromRepo(nodeModules, '@types/node');
    const blocks = markedBlocks(readFileSync(GUIDE, 'utf8'));
    assert.deepEqual(
      [...blocks.keys()].sort(),
      ['locales/en.json', 'manifest.json', 'src/bot.test.ts', 'src/bot.ts', 'src/dialogs.ts', 'src/handover.ts', 'src/index.ts', 'src/recognizer.ts', 'tsconfig.json'],
      'the guide marks its project files',
    );
    for (const [path, text] of blocks) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    // no data/customers.json: `handover start` runs without a customer directory of ours
  });

  it('compiles with tsc --strict', function () {
    this.timeout(120_000);
    const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: { strict?: boolean } };
    assert.equal(tsconfig.compilerOptions.strict, true, "the guide's tsconfig is strict");
    check(spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--strict'], { cwd: project, encoding: 'utf8', env: packageEnv }), "tsc on the guide's blocks");
  });

  it("passes its own TestAdapter test (step 11: node --test, memory store)", function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, ['--test', 'dist/bot.test.js'], { cwd: project, encoding: 'utf8', env: packageEnv });
    check(r, 'node --test dist/bot.test.js');
    assert.match(r.stdout, /# pass 1/);
    assert.match(r.stdout, /# fail 0/);
  });

  it('hands off on CloudAdapter, the briefing goes to the desk webhook, Ana answers through handover start and returns the chat', async function () {
    this.timeout(90_000);
    const prefix = uniquePrefix();
    const admin = await connectTestRedis();
    const connector = await startConnector();
    const desk = await startDeskWebhook();
    const env: NodeJS.ProcessEnv = { ...packageEnv, PORT: '0', REDIS_URL, REDIS_PREFIX: prefix, DESK_WEBHOOK_URL: desk.url, MicrosoftAppId: '' };
    let bot: Awaited<ReturnType<typeof startBot>> | undefined;
    let agents: HandoverProcess | undefined;
    try {
      bot = await startBot(project, env);
      // the agents' side: the installed package's `handover start` in the bot's folder, same Redis and prefix
      agents = await startHandoverProcess({ NODE_OPTIONS: '', REDIS_URL, REDIS_PREFIX: prefix }, [], project, join(project, 'node_modules', 'handover', 'bin', 'handover.cjs'));
      const botUrl = bot.url;
      const texts = (conversation: string): string[] =>
        connector.posted.filter((p) => p.path.startsWith(`/v3/conversations/${conversation}/`) && p.activity.type === 'message').map((p) => p.activity.text ?? '');
      let n = 0;
      const say = async (conversation: string, text: string): Promise<void> => {
        const activity = {
          type: 'message',
          id: `m${++n}`,
          text,
          channelId: 'emulator',
          serviceUrl: connector.url,
          from: { id: 'c-1001', name: 'Maya' },
          recipient: { id: 'bot', name: 'bot' },
          conversation: { id: conversation },
          locale: 'en-US',
        };
        const res = await fetch(botUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
        assert.equal(res.status, 200, `POST /api/messages "${text}"\n${bot?.output() ?? ''}`);
      };

      // the bot as it was: a fallback, then its order prompt
      await say('conv-guide-1', 'hello');
      await say('conv-guide-1', 'where is my order?');
      assert.deepEqual(texts('conv-guide-1'), ["Sorry, I didn't get that. You can ask me where your order is.", 'What is your order number? It looks like A12345.']);

      // "a person, please": the notice in the guide's wording (locales/en.json), not the re-prompt
      await say('conv-guide-1', 'I want to talk to a real person');
      assert.deepEqual(texts('conv-guide-1').slice(2), ["One moment: I'm bringing in a colleague from our support team. Someone will be with you shortly."]);
      assert.deepEqual(connector.posted.filter((p) => p.activity.type !== 'message'), [], 'no handoff.initiate (briefing, transcript) sent to the customer');
      assert.deepEqual(desk.events.map((e) => e.name), ['handoff.initiate'], 'the briefing went to the desk webhook');
      const briefing = desk.events[0]!.value as { conversationId: string; reason: string; queue: string; intent: string; summary: string; transcript: { text?: string }[] };
      assert.equal(briefing.conversationId, 'emulator:conv-guide-1');
      assert.equal(briefing.reason, 'customer_request');
      assert.equal(briefing.queue, 'help');
      assert.equal(briefing.intent, 'order_status', 'setTopic named the topic');
      assert.match(briefing.summary, /Maya Lopez/, "the directory's customer is in the briefing");

      // Ana, through handover start's API (the console's own routes)
      const id = 'emulator:conv-guide-1';
      const queue = await deskCall(agents.base, 'GET', '/api/queues/help');
      assert.equal(queue.status, 200);
      assert.deepEqual((queue.json['conversations'] as { conversationId: string }[]).map((c) => c.conversationId), [id]);
      assert.equal((await deskCall(agents.base, 'POST', conversationApi(id, 'accept'), { agentId: 'ana', agentName: 'Ana' })).status, 200);
      assert.equal((await deskCall(agents.base, 'POST', conversationApi(id, 'messages'), { agentId: 'ana', agentName: 'Ana', text: 'Hi Maya, Ana here. Which order is it?' })).status, 202);
      await eventually(() => texts('conv-guide-1').includes('Hi Maya, Ana here. Which order is it?'), "Ana's line at the connector");
      const line = connector.posted.find((p) => p.activity.text === 'Hi Maya, Ana here. Which order is it?')!;
      assert.match(line.path, /^\/v3\/conversations\/conv-guide-1\/activities/);
      assert.equal((line.activity.channelData as { handover?: { role?: string; agentName?: string } }).handover?.role, 'agent');
      assert.equal((line.activity.channelData as { handover?: { role?: string; agentName?: string } }).handover?.agentName, 'Ana');
      assert.ok(texts('conv-guide-1').includes('Ana has joined the conversation.'));

      // while Ana owns the chat the bot is silent; the line goes to her
      const before = texts('conv-guide-1').length;
      await say('conv-guide-1', 'it is A12345, thanks');
      const view = await deskCall(agents.base, 'GET', conversationApi(id));
      assert.ok(JSON.stringify(view.json['transcript']).includes('it is A12345, thanks'), "the customer's line is in Ana's transcript");
      assert.deepEqual(texts('conv-guide-1').slice(before), [], 'the bot did not answer');

      // back to the bot with the order number: it answers without asking again
      assert.equal((await deskCall(agents.base, 'POST', conversationApi(id, 'return'), { agentId: 'ana', agentName: 'Ana', collected: { order_number: 'A12345' } })).status, 200);
      await eventually(() => texts('conv-guide-1').includes("You're back with the Contoso assistant. What else can I do for you?"), 'the return notice at the connector');
      await say('conv-guide-1', 'where is my order?');
      assert.equal(texts('conv-guide-1').at(-1), 'Order A12345 is shipped.');

      // the triggers the guide's calls enable
      await say('conv-guide-2', 'I want to cancel my subscription');
      assert.equal(texts('conv-guide-2')[0], 'I can help you with your subscription.');
      assert.match(texts('conv-guide-2')[1] ?? '', /^One moment: I'm bringing in a colleague from our Billing team\. /);
      await say('conv-guide-3', 'how do I track the shipping');
      await say('conv-guide-3', 'track the shipping please');
      await say('conv-guide-4', 'where is order B77777?');
      // the expected wait depends on who waits in help by now
      assert.equal(texts('conv-guide-4')[0], "I'm sorry: order B77777 is marked as lost.");
      assert.match(texts('conv-guide-4')[1] ?? '', /^One moment: I'm bringing in a colleague from our support team\. /);
      const reasons = desk.events.map((e) => {
        const v = e.value as { conversationId: string; reason: string; queue: string };
        return `${v.conversationId} ${v.reason} ${v.queue}`;
      });
      assert.deepEqual(reasons, [
        'emulator:conv-guide-1 customer_request help',
        'emulator:conv-guide-2 revenue_risk billing',
        'emulator:conv-guide-3 low_confidence help',
        'emulator:conv-guide-4 customer_request help',
      ]);
      assert.doesNotMatch(bot.output(), /handover: |onTurnError/, 'no errors reported by the bot');
    } finally {
      await bot?.stop();
      await agents?.stop();
      await connector.close();
      await desk.close();
      await deleteByPrefix(admin, prefix);
      await admin.close();
    }
  });
});
