/**
 * The arrows of the architecture (ARCHITECTURE.md, ../shared/DESIGN.md), checked in CI:
 *
 *   channels, bridge, agent, server ──▶ handoff ──▶ policy, signals, staffing ──▶ core
 *   store ──▶ core                       (stores and channels are wired only by app.ts and cli/)
 *
 * `npm run check:layers` fails on a new violation. The violations that existed when the rules were
 * written are listed in .dependency-cruiser-known-violations.json (each one a debt to pay, never a
 * place to add to): regenerate it only when paying one off —
 *   npx depcruise src --config .dependency-cruiser.cjs --output-type baseline > .dependency-cruiser-known-violations.json
 */
const INNER = '^src/(core|signals|policy|handoff|staffing)/';
const OUTER = '^src/(bridge|channels|agent|store|server|cli|dialogs)/|^src/(app|index)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing',
      severity: 'error',
      comment: 'src/core is the domain: types, the state machine, errors, ports. It imports only itself and Node.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-no-libraries',
      severity: 'error',
      comment: 'The domain imports no library at all (Node built-ins only).',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'] },
    },
    {
      name: 'inner-no-infrastructure',
      severity: 'error',
      comment: 'Signals, policy, handoff and staffing know no botbuilder, Redis, sockets, WhatsApp, HTTP or metrics library (pure helpers such as a lexicon are fine).',
      from: { path: INNER },
      to: { path: '^node_modules/(botbuilder[^/]*|redis|@redis/[^/]+|ws|whatsapp-web\\.js|puppeteer[^/]*|prom-client|playwright[^/]*)/' },
    },
    {
      name: 'signals-and-policy-are-pure',
      severity: 'error',
      comment: 'Signals and the policy are pure functions over the domain: core (and policy may read signals).',
      from: { path: '^src/(signals|policy)/' },
      to: { path: '^src/', pathNot: '^src/(core|signals)/' },
    },
    {
      name: 'handoff-over-ports',
      severity: 'error',
      comment: 'The handoff services work over the ports of core, with the policy, signals and staffing.',
      from: { path: '^src/(handoff|staffing)/' },
      to: { path: '^src/', pathNot: '^src/(core|policy|signals|staffing|handoff)/' },
    },
    {
      name: 'inner-never-imports-outer',
      severity: 'error',
      comment: 'Arrows point inward: the domain never imports a channel, the middleware, the console, a store or the CLI.',
      from: { path: INNER },
      to: { path: OUTER },
    },
    {
      name: 'stores-wired-by-the-root',
      severity: 'error',
      comment: 'Concrete stores are chosen by app.ts and cli/ only; everyone else takes the ports of core.',
      from: { path: '^src/', pathNot: '^src/(store|cli)/|^src/(app|index)\\.ts$' },
      to: { path: '^src/store/' },
    },
    {
      name: 'redis-in-one-place',
      severity: 'error',
      comment: 'Only the Redis store talks to node-redis.',
      from: { path: '^src/', pathNot: '^src/store/redis/' },
      to: { path: '^node_modules/(redis|@redis/)' },
    },
    {
      name: 'whatsapp-web-in-one-place',
      severity: 'error',
      comment: 'Only the WhatsApp Web channel loads whatsapp-web.js (and puppeteer with it).',
      from: { path: '^src/', pathNot: '^src/channels/whatsapp/web/' },
      to: { path: '^node_modules/whatsapp-web\\.js/' },
    },
    {
      name: 'channels-not-into-each-other',
      severity: 'error',
      comment: 'Web chat and WhatsApp share code only through channels/whatsapp/shared or lower layers.',
      from: { path: '^src/channels/webchat/' },
      to: { path: '^src/channels/whatsapp/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
