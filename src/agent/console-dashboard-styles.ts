/**
 * Styles of the supervisor dashboard and the history view (appended to the console stylesheet).
 *
 * @example
 * res.end(consoleStyles); // includes dashboardStyles
 */
export const dashboardStyles = `
.dashboard, .history { display:grid; gap:1rem; min-width:0; }
.dash-head { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:baseline; }
.dash-queues { display:grid; grid-template-columns:repeat(auto-fill, minmax(9.5rem, 1fr)); gap:.6rem; }
.queue-tile { border:1px solid var(--line); border-radius:8px; padding:.5rem .7rem; display:grid; gap:.15rem; }
.queue-tile p { margin:0; font-size:.85rem; }
.queue-tile h4 { font-size:.9rem; }
.queue-tile.breached { border-color:var(--danger); background:#fef3f2; }
.tile-main .waiting-count { font-size:1.5rem; font-weight:700; }
.alert { color:var(--danger); font-weight:700; }
.figures { display:grid; grid-template-columns:repeat(auto-fill, minmax(9rem, 1fr)); gap:.6rem; }
.figure { border:1px solid var(--line); border-radius:8px; padding:.5rem .7rem; display:grid; }
.figure-value { font-size:1.35rem; font-weight:700; }
.figure-label { font-size:.8rem; color:var(--muted); }
.figure.alert .figure-value { color:var(--danger); }
.figure.warn .figure-value { color:var(--warn); }
.table-scroll { overflow-x:auto; }
.dash-agents, .dash-breaches, .history-table { border-collapse:collapse; width:100%; font-size:.9rem; }
.dash-agents caption, .dash-breaches caption, .history-table caption { text-align:left; font-weight:600; padding-bottom:.3rem; }
.dash-agents th, .dash-agents td, .dash-breaches th, .dash-breaches td, .history-table th, .history-table td { text-align:left; padding:.3rem .5rem; border-bottom:1px solid var(--line); white-space:nowrap; }
.dash-charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap:1rem; }
.chart-box { margin:0; border:1px solid var(--line); border-radius:8px; padding:.5rem; min-width:0; }
.chart-box figcaption { font-size:.85rem; font-weight:600; margin-bottom:.25rem; }
.chart { display:block; width:100%; height:auto; }
.history-form { display:flex; flex-wrap:wrap; gap:.5rem .75rem; align-items:flex-end; }
.history-form label { display:grid; gap:.2rem; font-size:.85rem; flex:1 1 9rem; }
.history-form input { min-width:0; }
@media (max-width: 800px) { .topbar { flex-wrap:wrap; gap:.5rem; } .conversation { padding:.6rem; } }
`;
