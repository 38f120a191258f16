const locales = ['en', 'pt-BR', 'es'] as const;

/** The demo visitor's sign-in (demo mode only): the customer and a token the server minted for this page load. */
export interface DemoSignIn {
  readonly id: string;
  readonly name?: string;
  readonly token: string;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo page served at `/`: a stand-in shop page with the widget's script tag. `locale` is
 * matched against a fixed list, never echoed raw, so the page cannot be used for injection. With
 * `signIn` (demo mode: `handover start --demo-customer c-1001`) the page plays a shop where that
 * customer is logged in and hands the widget their token (`data-customer-token`), as a real site
 * would; `/?as=anonymous` shows the anonymous visitor.
 *
 * The page fits a phone (390 px wide): nothing is wider than the viewport, long code wraps.
 *
 * @example
 * res.end(demoPage(url.searchParams.get('locale'), { id: 'c-1001', name: 'Dana Reyes', token }));
 */
export function demoPage(requestedLocale: string | null, signIn?: DemoSignIn): string {
  const locale = locales.find((l) => l.toLowerCase() === requestedLocale?.toLowerCase()) ?? 'en';
  const who =
    signIn === undefined
      ? '<p class="account">You are browsing as an anonymous visitor.</p>'
      : `<p class="account">Signed in as <strong>${escapeHtml(signIn.name ?? signIn.id)}</strong> (demo customer ${escapeHtml(signIn.id)}). ` +
        `The chat knows who you are: ask "where is my order?" and give your order number. <a href="/?as=anonymous&amp;locale=${locale}">Chat anonymously</a></p>`;
  const tokenAttr = signIn === undefined ? '' : ` data-customer-token="${escapeHtml(signIn.token)}"`;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Shop — web chat demo</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; overflow-wrap: anywhere; }
  header { background: #222; color: #fff; padding: 16px 24px; }
  header h1 { margin: 0; font-size: 1.6rem; }
  main { max-width: 720px; margin: 24px auto; padding: 0 16px 96px; line-height: 1.5; }
  nav a { margin-right: 12px; }
  .account { background: #eef4fc; border: 1px solid #c9dbf3; border-radius: 8px; padding: 10px 12px; }
  pre { max-width: 100%; white-space: pre-wrap; word-break: break-all; background: #f0f0f0; padding: 8px; border-radius: 6px; }
</style>
</head>
<body>
<header><h1>Acme Shop</h1></header>
<main>
  ${who}
  <p>This page hosts the handover web chat widget. Open it with the button at the bottom right.</p>
  <nav aria-label="Language">${locales.map((l) => `<a href="/?locale=${l}">${l}</a>`).join('')}</nav>
  <p>Embed it on any site with one tag:</p>
  <pre><code>&lt;script src="https://your-server/webchat/widget.js" data-locale="${locale}" data-customer-token="…"&gt;&lt;/script&gt;</code></pre>
</main>
<script src="/webchat/widget.js" data-locale="${locale}"${tokenAttr}></script>
</body>
</html>`;
}
