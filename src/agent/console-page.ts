/**
 * The console's HTML shell and stylesheet. The shell holds no data: the script (`/agent/console.js`)
 * fetches everything through the API. `view` tells the script whether to show the sign-in form.
 *
 * @example
 * res.end(consolePage('login'));
 */
import { dashboardStyles } from './console-dashboard-styles.js';

/**
 * The page, for a signed-out (`login`) or signed-in (`console`) request.
 *
 * @example
 * res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8' }).end(consolePage('login'));
 */
export function consolePage(view: 'login' | 'console'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${view === 'login' ? 'Sign in — ' : ''}Agent console · handover</title>
<link rel="stylesheet" href="/agent/console.css">
<script src="/agent/console.js" defer></script>
</head>
<body data-view="${view}">
<div id="app"><noscript>The agent console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/**
 * Content-Security-Policy of the console: only our own script, styles and socket; no framing.
 *
 * @example
 * res.setHeader('Content-Security-Policy', CONSOLE_CSP);
 */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; media-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The console's stylesheet (served as `/agent/console.css`, so the CSP needs no inline styles).
 *
 * @example
 * res.end(consoleStyles);
 */
export const consoleStyles = `
:root { --bg:#f6f7f9; --panel:#fff; --line:#dde1e6; --text:#1d232b; --muted:#5f6b7a; --accent:#0b6bcb; --accent-text:#fff;
  --danger:#b42318; --ok:#067647; --warn:#b54708; --customer:#eef4ff; --agent:#ecfdf3; --bot:#f2f4f7; font-size:15px; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--text); background:var(--bg); }
button { font:inherit; cursor:pointer; border:1px solid var(--line); background:var(--panel); color:var(--text); border-radius:6px; padding:.35rem .7rem; }
button:hover { border-color:var(--accent); }
button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline:2px solid var(--accent); outline-offset:1px; }
button.primary { background:var(--accent); border-color:var(--accent); color:var(--accent-text); }
button:disabled { opacity:.6; cursor:default; }
input, textarea, select { font:inherit; border:1px solid var(--line); border-radius:6px; padding:.4rem .5rem; background:#fff; color:var(--text); }
.muted { color:var(--muted); }
h1,h2,h3,h4 { margin:0; }

.login-page { min-height:100vh; display:grid; place-items:center; padding:1rem; }
.login { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:2rem; width:min(360px,100%); display:grid; gap:.5rem; }
.login h1 { font-size:1.4rem; }
.login label { font-weight:600; margin-top:.5rem; }
.login button { margin-top:1rem; padding:.6rem; }
.login-error { color:var(--danger); min-height:1.2em; margin:.25rem 0 0; }

.topbar { display:flex; align-items:center; gap:1rem; padding:.6rem 1rem; background:var(--panel); border-bottom:1px solid var(--line); }
.topbar h1 { font-size:1.1rem; margin-right:auto; }
.conn { font-size:.85rem; padding:.1rem .5rem; border-radius:999px; }
.conn.live { background:#dcfae6; color:var(--ok); }
.conn.offline { background:#fef0c7; color:var(--warn); }
.notice { min-height:1.6rem; padding:.2rem 1rem; font-size:.9rem; }
.notice.error { color:var(--danger); }

.layout { display:grid; grid-template-columns: minmax(280px, 360px) 1fr; gap:1rem; padding:0 1rem 1rem; align-items:start; }
.sidebar { display:grid; gap:1rem; }
.sidebar section { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:.75rem; }
.sidebar h2 { font-size:1rem; display:flex; gap:.5rem; align-items:baseline; flex-wrap:wrap; margin-bottom:.5rem; }
.queue-count { font-weight:400; font-size:.9rem; }
.queue-sla { font-weight:400; font-size:.8rem; margin-left:auto; }
.queue-items, .my-list { list-style:none; margin:0; padding:0; display:grid; gap:.5rem; }
.queue-item { border:1px solid var(--line); border-radius:8px; padding:.5rem; display:grid; gap:.3rem; }
.queue-item.current, .my-item.current .open { border-color:var(--accent); box-shadow:0 0 0 1px var(--accent); }
.item-head, .item-foot { display:flex; gap:.5rem; align-items:center; }
.item-foot .waiting { margin-right:auto; font-size:.8rem; }
.item-summary { font-size:.85rem; overflow-wrap:anywhere; }
.priority { font-weight:700; font-size:.75rem; padding:.05rem .4rem; border-radius:4px; background:#eaecf0; }
.priority.p3,.priority.p4,.priority.p5 { background:#fef0c7; color:var(--warn); }
.priority.p6,.priority.p7,.priority.p8,.priority.p9 { background:#fee4e2; color:var(--danger); }
.reason { font-size:.85rem; font-weight:600; }
.sla { margin-left:auto; font-variant-numeric:tabular-nums; font-size:.85rem; color:var(--ok); }
.sla.breached { color:var(--danger); font-weight:700; }
.my-item .open { width:100%; text-align:left; display:flex; gap:.5rem; align-items:baseline; flex-wrap:wrap; }
.unread { background:var(--accent); color:#fff; border-radius:999px; font-size:.7rem; padding:0 .4rem; }
.empty { margin:0; font-size:.9rem; }

.conversation { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:1rem; display:grid; gap:1rem; min-height:60vh; align-content:start; }
.placeholder { margin:auto; }
.conv-head { display:flex; gap:.75rem; align-items:baseline; flex-wrap:wrap; }
.conv-head h2 { font-size:1.15rem; }
.conv-id { font-size:.8rem; font-weight:400; }
.status { font-size:.8rem; padding:.1rem .5rem; border-radius:999px; background:#eaecf0; }
.status-assigned { background:#dcfae6; color:var(--ok); }
.status-queued { background:#fef0c7; color:var(--warn); }
.briefing { border:1px solid var(--line); border-left:4px solid var(--accent); border-radius:8px; padding:.5rem .85rem; display:grid; gap:.4rem; align-content:start; }
.brief-head { display:flex; gap:.6rem; align-items:baseline; flex-wrap:wrap; }
.brief-head h3 { font-size:1rem; }
.mood { font-size:.75rem; padding:.05rem .45rem; border-radius:999px; }
.mood-upset { background:#fef0c7; color:var(--warn); }
.mood-angry { background:#fee4e2; color:var(--danger); }
.briefing h4 { font-size:.8rem; color:var(--muted); margin-bottom:.15rem; }
.trace-box summary { cursor:pointer; font-size:.85rem; color:var(--muted); }
.trace { margin:.25rem 0 0; padding-left:1.2rem; font-family: ui-monospace, Menlo, monospace; font-size:.8rem; }
.summary { margin:0; font-size:1rem; line-height:1.4; }
.brief-grid { display:grid; grid-template-columns:repeat(auto-fit, minmax(13rem, 1fr)); gap:.4rem 1.2rem; font-size:.85rem; }
.brief-grid dl, .brief-grid .steps { font-size:.85rem; }
.brief-grid p { margin:0; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:.2rem .8rem; margin:0; font-size:.9rem; }
dt { color:var(--muted); }
dd { margin:0; overflow-wrap:anywhere; }
.steps { margin:0; padding-left:1.2rem; font-size:.9rem; }
.transcript-lines { list-style:none; margin:0; padding:.5rem; display:grid; gap:.4rem; max-height:45vh; overflow:auto; border:1px solid var(--line); border-radius:8px; }
.line { padding:.4rem .6rem; border-radius:8px; background:var(--bot); display:grid; grid-template-columns:auto 1fr; gap:0 .5rem; }
.line-who { font-weight:600; font-size:.85rem; }
.line-at { font-size:.75rem; justify-self:end; }
.line-text { grid-column:1 / -1; white-space:pre-wrap; overflow-wrap:anywhere; }
.line-media { grid-column:1 / -1; display:flex; flex-wrap:wrap; gap:.5rem; margin-top:.3rem; }
.media { margin:0; display:flex; flex-direction:column; gap:.2rem; }
.media img { max-width:260px; max-height:260px; border-radius:6px; border:1px solid var(--line); background:#fff; }
.media video { max-width:320px; max-height:240px; }
.media audio { width:260px; }
.media-download { font-size:.85rem; }
.line.from-customer { background:var(--customer); margin-right:15%; }
.line.from-agent { background:var(--agent); margin-left:15%; }
.line.from-bot { margin-right:15%; }
.line.event, .line.from-system { background:transparent; font-size:.85rem; color:var(--muted); }
.composer { display:grid; gap:.5rem; }
.macros { display:flex; flex-wrap:wrap; gap:.4rem; }
.macro { font-size:.85rem; }
.reply-input { width:100%; resize:vertical; }
.unfilled { margin:0; font-size:.85rem; color:var(--warn); }
.composer-foot { display:flex; justify-content:flex-end; }
.actions { display:grid; gap:.5rem; border-top:1px solid var(--line); padding-top:.75rem; }
.action-row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
.action-row input, .action-row textarea { flex:1 1 12rem; }
@media (max-width: 800px) { .layout { grid-template-columns:1fr; } }
/* a desktop screen: the page does not scroll; the queues, and the open conversation's transcript, scroll
   in their own panes, so the reply box stays in view under a compact briefing (which scrolls if long) */
@media (min-width: 801px) and (min-height: 560px) {
  #app:has(> .layout) { height:100vh; display:flex; flex-direction:column; }
  #app:has(> .layout) > .layout { flex:1 1 auto; min-height:0; align-items:stretch; }
  .sidebar { overflow:auto; min-height:0; align-content:start; }
  .conversation { overflow:auto; min-height:0; }
  .conversation:has(> .transcript) { display:flex; flex-direction:column; gap:.6rem; overflow:hidden; }
  .conversation:has(> .transcript) > * { flex:0 0 auto; }
  .conversation:has(> .transcript) > .briefing { flex:0 1 auto; min-height:4.5rem; max-height:36%; overflow:auto; }
  .conversation:has(> .transcript) > .transcript { flex:1 1 0; min-height:8rem; display:flex; flex-direction:column; gap:.3rem; }
  .conversation:has(> .transcript) .transcript-lines { flex:1 1 auto; min-height:0; max-height:none; }
  /* the macros and Send share the row under the reply box; the actions stay on two short rows */
  .composer { grid-template-columns:1fr auto; align-items:center; }
  .composer > .reply-input, .composer > .unfilled { grid-column:1 / -1; }
  .composer > .reply-input { grid-row:1; }
  .composer > .macros { grid-column:1; }
  .composer > .composer-foot { grid-column:2; }
  .composer > .unfilled:empty { display:none; }
  .conversation:has(> .transcript) .actions { padding-top:.5rem; gap:.4rem; }
  .conversation:has(> .transcript) .return-collected { height:2.4rem; min-height:2.4rem; }
}
.presence { font:inherit; font-size:.85rem; padding:.1rem .4rem; border-radius:999px; border:1px solid var(--line); }
.presence-online { background:#dcfae6; color:var(--ok); }
.presence-away { background:#fef0c7; color:var(--warn); }
.presence-offline { background:#f2f4f7; color:#475467; }
.presence-badge { font-size:.75rem; font-weight:normal; margin-left:.5rem; padding:.05rem .45rem; border-radius:999px; }
.staff { display:grid; gap:.75rem; }
.staff-card { border:1px solid var(--line); border-radius:8px; padding:.6rem .9rem; display:grid; gap:.4rem; }
.staff-card h3 { font-size:1rem; }
.shift-grid { display:grid; grid-template-columns:repeat(4, auto minmax(10rem, 1fr)); gap:.3rem .4rem; align-items:center; }
.shift-grid input { min-width:0; font:inherit; font-size:.85rem; padding:.2rem .3rem; }
.shift-exceptions { font:inherit; font-size:.85rem; }
.callback-box { border:1px solid var(--line); border-left:4px solid var(--warn); border-radius:8px; padding:.5rem 1rem; background:#fffaeb; }
.callback-moves { margin:.3rem 0 0 1rem; font-size:.85rem; }
${dashboardStyles}`;
