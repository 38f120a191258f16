const locales = ['en', 'pt-BR', 'es'] as const;

/**
 * The demo page served at `/`: a stand-in shop page with the widget's script tag. `locale` is
 * matched against a fixed list, never echoed raw, so the page cannot be used for injection.
 *
 * @example
 * res.end(demoPage(url.searchParams.get('locale')));
 */
export function demoPage(requestedLocale: string | null): string {
  const locale = locales.find((l) => l.toLowerCase() === requestedLocale?.toLowerCase()) ?? 'en';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Shop — web chat demo</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
  header { background: #222; color: #fff; padding: 16px 24px; }
  main { max-width: 720px; margin: 24px auto; padding: 0 16px; line-height: 1.5; }
  nav a { margin-right: 12px; }
</style>
</head>
<body>
<header><h1>Acme Shop</h1></header>
<main>
  <p>This page hosts the handover web chat widget. Open it with the button at the bottom right.</p>
  <nav aria-label="Language">${locales.map((l) => `<a href="/?locale=${l}">${l}</a>`).join('')}</nav>
  <p>Embed it on any site with one tag:</p>
  <pre><code>&lt;script src="https://your-server/webchat/widget.js" data-locale="${locale}"&gt;&lt;/script&gt;</code></pre>
</main>
<script src="/webchat/widget.js" data-locale="${locale}"></script>
</body>
</html>`;
}
