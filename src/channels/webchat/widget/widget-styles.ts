/**
 * The widget's CSS, injected into its shadow root so the host page's styles cannot break it
 * (and ours cannot leak out). Phone-sized screens get a full-screen panel.
 *
 * @example
 * const style = document.createElement('style'); style.textContent = widgetStyles; shadow.append(style);
 */
export const widgetStyles = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.hov-launcher { position: fixed; right: 20px; bottom: 20px; width: 60px; height: 60px; border-radius: 50%;
  border: none; background: #1f5fbf; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center; z-index: 2147483000; }
.hov-launcher:focus-visible, button:focus-visible, .hov-input:focus-visible { outline: 3px solid #ffb300; outline-offset: 2px; }
.hov-launcher svg { width: 28px; height: 28px; fill: currentColor; }
.hov-panel { position: fixed; right: 20px; bottom: 92px; width: 370px; height: min(600px, calc(100vh - 120px));
  background: #fff; color: #1b1b1b; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3);
  display: flex; flex-direction: column; overflow: hidden; z-index: 2147483000; font-size: 15px; }
.hov-panel[hidden] { display: none; }
.hov-header { background: #1f5fbf; color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 8px; }
.hov-header-text { flex: 1; min-width: 0; }
.hov-title { margin: 0; font-size: 16px; font-weight: 600; }
.hov-status { font-size: 12px; opacity: .9; margin-top: 2px; }
.hov-status.hov-agent-status { font-weight: 600; opacity: 1; }
.hov-close { background: transparent; border: none; color: #fff; font-size: 24px; line-height: 1; cursor: pointer;
  width: 36px; height: 36px; border-radius: 6px; }
.hov-log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: #f5f7fa; }
.hov-msg { max-width: 85%; display: flex; flex-direction: column; }
.hov-msg.hov-from-user { align-self: flex-end; align-items: flex-end; }
.hov-msg.hov-from-bot, .hov-msg.hov-from-agent { align-self: flex-start; }
.hov-sender { font-size: 12px; color: #555; margin: 0 4px 2px; }
.hov-from-agent .hov-sender { color: #0b6b3a; font-weight: 600; }
.hov-bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.hov-from-user .hov-bubble { background: #1f5fbf; color: #fff; border-bottom-right-radius: 4px; }
.hov-from-bot .hov-bubble { background: #fff; border: 1px solid #dde3ea; border-bottom-left-radius: 4px; }
.hov-from-agent .hov-bubble { background: #e6f6ec; border: 1px solid #9fd7b5; border-bottom-left-radius: 4px; }
.hov-pending .hov-bubble { opacity: .6; }
.hov-unsent .hov-bubble { background: #fff; color: #8a1c1c; border: 1px dashed #c0392b; }
.hov-note { font-size: 12px; color: #8a1c1c; margin: 2px 4px 0; text-align: right; }
.hov-status.hov-trouble { font-weight: 600; opacity: 1; }
.hov-notice { align-self: center; font-size: 13px; color: #0b6b3a; background: #e6f6ec; border-radius: 10px; padding: 4px 10px; text-align: center; }
.hov-typing { padding: 0 14px 4px; font-size: 13px; color: #555; min-height: 1.4em; background: #f5f7fa; }
.hov-suggestions { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 12px; background: #f5f7fa; }
.hov-suggestions:empty { display: none; }
.hov-suggestion { border: 1px solid #1f5fbf; color: #1f5fbf; background: #fff; border-radius: 16px; padding: 6px 12px;
  cursor: pointer; font-size: 14px; min-height: 36px; }
.hov-form { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #dde3ea; background: #fff; }
.hov-input { flex: 1; border: 1px solid #b8c2cc; border-radius: 20px; padding: 9px 14px; font-size: 16px; min-width: 0; }
.hov-send { border: none; background: #1f5fbf; color: #fff; border-radius: 50%; width: 42px; height: 42px; cursor: pointer; flex: none; }
.hov-send svg { width: 20px; height: 20px; fill: currentColor; }
.hov-attach { border: none; background: none; color: #1f5fbf; width: 36px; height: 42px; cursor: pointer; flex: none; padding: 0; }
.hov-attach svg { width: 22px; height: 22px; fill: currentColor; }
.hov-image { display: block; max-width: 100%; max-height: 220px; border-radius: 8px; margin-bottom: 4px; }
.hov-file-name { font-size: 14px; overflow-wrap: anywhere; }
.hov-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .hov-panel { right: 0; bottom: 0; left: 0; top: 0; width: 100%; height: 100%; border-radius: 0; }
  .hov-launcher { right: 14px; bottom: 14px; }
  /* The full-screen panel has its own close button; the launcher would cover the send button. */
  .hov-panel:not([hidden]) ~ .hov-launcher { display: none; }
}
@media (prefers-reduced-motion: no-preference) { .hov-panel { transition: opacity .15s; } }
`;
