/**
 * Markdown (what bots write: botbuilder's default text format) to WhatsApp's own formatting:
 * `**bold**` / `__bold__` → `*bold*`, `*italic*` / `_italic_` → `_italic_`, `~~strike~~` → `~strike~`,
 * `# Heading` → `*Heading*`, `[text](url)` → `text (url)`, `* item` → `- item`. Code spans and
 * fenced blocks are left as they are (WhatsApp shows both).
 *
 * @example
 * markdownToWhatsApp('Choose **Express** or *Standard*'); // 'Choose *Express* or _Standard_'
 */
export function markdownToWhatsApp(text: string): string {
  if (!/[*_~#[`]/.test(text)) return text;
  // Split off fenced blocks and code spans: nothing inside them is formatting.
  const parts = text.split(/(```[\s\S]*?```|`[^`\n]+`)/);
  return parts.map((p, i) => (i % 2 === 1 ? p : convert(p))).join('');
}

const BOLD = '\u0001';

function convert(s: string): string {
  return (
    s
      // headings and bullets, line by line
      .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, `${BOLD}$1${BOLD}`)
      .replace(/^([ \t]*)[*+][ \t]+/gm, '$1- ')
      // images and links
      .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, alt: string, url: string) => (alt === '' ? url : `${alt} (${url})`))
      .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
      // bold first (kept aside so the italic rule does not see it), then italic, strike
      .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, `${BOLD}$1${BOLD}`)
      .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, `$1${BOLD}$2${BOLD}`)
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1_$2_')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '~$1~')
      .replace(new RegExp(BOLD, 'g'), '*')
  );
}

/**
 * Removes formatting marks where WhatsApp shows none (button and list titles).
 *
 * @example
 * plainTitle('**Express**'); // 'Express'
 */
export function plainTitle(text: string): string {
  return text
    .replace(/\*\*|__|~~|[*_~`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
