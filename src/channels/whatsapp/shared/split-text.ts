/**
 * Splits text into parts of at most `max` characters (code points, so an emoji is never cut in half),
 * preferring to break at a paragraph, line or word boundary. WhatsApp rejects text over 4096 characters.
 *
 * @example
 * splitText('a'.repeat(5000), 4096).map((p) => p.length); // [4096, 904]
 */
export function splitText(text: string, max = 4096): string[] {
  const chars = Array.from(text);
  if (chars.length <= max) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(start + max, chars.length);
    if (end < chars.length) {
      // Look back (at most a quarter of a part) for a natural break so words are not cut.
      const floor = start + Math.floor(max * 0.75);
      for (const sep of ['\n\n', '\n', ' ']) {
        let i = end;
        while (i > floor && chars.slice(i - sep.length, i).join('') !== sep) i--;
        if (i > floor) {
          end = i;
          break;
        }
      }
    }
    parts.push(chars.slice(start, end).join(''));
    start = end;
  }
  return parts;
}
