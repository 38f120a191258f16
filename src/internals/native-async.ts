/**
 * botbuilder's async methods as native async functions.
 *
 * botbuilder 4.23 ships JavaScript compiled for ES2015: every `async` method became
 * `return __awaiter(this, void 0, void 0, function* () { … yield x … })`. Each call creates a new
 * generator function and calls it, and V8 (Node 20) gives every such closure its own initial map
 * in the old generation, pointing back at the closure. So each call leaves an old-to-young
 * reference behind: the closure, its context and whatever the call touched (turn contexts,
 * dialog contexts, activities) survive young-generation collections until the next full one.
 * A bot turn makes dozens of these calls; 1–2.5 MB survive every scavenge and the pauses grow to
 * 5–13 ms — the tail of the turn latency (bench/redis.ts, `gcPerProcess`). A native async
 * function has none of this.
 *
 * `installNativeAsync()` hooks CommonJS compilation (before botbuilder is first required) and
 * rewrites, in botbuilder's own packages only, exactly the TypeScript emit pattern:
 *   - the `__awaiter` helper becomes `(thisArg, _, P, body) => body.call(thisArg)`;
 *   - `__awaiter(<this|void 0>, void 0, void 0, function* () {` becomes the same call with an
 *     `async function () {`, and every `yield` keyword (never inside strings, comments, template
 *     literals or regular expressions) becomes `await`. TypeScript emits `yield x` only for a source
 *     `await x` and parenthesises the operand where precedence needs it, so meanings are unchanged.
 * Lines are kept one for one (stack traces still point at the right line). A file that does not
 * match the pattern exactly (another helper, arguments passed, a generator of its own) or whose
 * rewrite does not compile is loaded unchanged. Set HANDOVER_NATIVE_ASYNC=0 to switch it off.
 *
 * @example
 * import { installNativeAsync } from './internals/native-async.js';
 * installNativeAsync(); // first thing, before anything imports botbuilder
 */
import Module from 'node:module';
import { Script } from 'node:vm';

/** The packages rewritten: botbuilder's own, compiled by tsc with the __awaiter helper. */
const PACKAGES = /[\\/]node_modules[\\/](botbuilder(-core|-dialogs|-stdlib|-dialogs-adaptive-runtime-core)?|botframework-schema)[\\/]lib[\\/][^\\/]+\.js$|[\\/]node_modules[\\/]botbuilder[^\\/]*[\\/]lib[\\/].+\.js$/;

const HELPER = 'var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {';
const NATIVE_HELPER =
  'var __awaiter = function (thisArg, _arguments, P, body) { return body.call(thisArg); }, __awaiterGenerator = function (thisArg, _arguments, P, generator) {';
const CALL = /__awaiter\((this|void 0), void 0, void 0, function\* \(\) \{/g;

/** What `rewrite` did, for tests and diagnostics. */
export interface Rewrite {
  readonly source: string;
  /** Async bodies turned native (0 when the file was left as it was). */
  readonly bodies: number;
}

/**
 * The native-async form of one tsc-emitted CommonJS file, or the file unchanged (`bodies: 0`)
 * when it does not follow the pattern exactly.
 *
 * @example
 * rewrite(readFileSync(require.resolve('botbuilder-core/lib/turnContext.js'), 'utf8')).bodies; // > 0
 */
export function rewrite(source: string): Rewrite {
  const unchanged = { source, bodies: 0 };
  if (!source.includes(HELPER)) return unchanged;
  const calls = source.match(CALL)?.length ?? 0;
  // every generator in the file must be one of those bodies, and __awaiter used only that way
  const generators = source.match(/function[ \t]*\*/g)?.length ?? 0;
  const uses = source.match(/__awaiter\(/g)?.length ?? 0;
  if (calls === 0 || generators !== calls || uses !== calls) return unchanged;
  const withBodies = source.replace(HELPER, NATIVE_HELPER).replace(CALL, (_m, self: string) => `__awaiter(${self}, void 0, void 0, async function () {`);
  const out = replaceYieldKeywords(withBodies);
  if (out === undefined) return unchanged;
  try {
    // a rewrite that does not parse is never loaded
    new Script(`(function (exports, require, module, __filename, __dirname) {${out}\n})`);
  } catch {
    return unchanged;
  }
  return { source: out, bodies: calls };
}

const IDENT = /[A-Za-z0-9_$]/;
/** Tokens after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^', 'return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

/**
 * `yield` keywords → `await`, skipping strings, comments, template text and regular expressions.
 * Undefined when the scan loses its way (an unterminated literal): the caller keeps the original.
 */
function replaceYieldKeywords(src: string): string | undefined {
  const out: string[] = [];
  let last = 0;
  let prev = ''; // the previous significant token (punctuator or word)
  // template literal nesting: each entry is the brace depth at which a `${` was opened
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = skipQuoted(src, i, c);
      if (end === -1) return undefined;
      i = end;
      prev = 'str';
      continue;
    }
    if (c === '`' || (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth)) {
      if (c === '}') templates.pop();
      // template text up to the closing backtick or the next `${`
      let j = i + 1;
      for (; j < n; j++) {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '`') break;
        else if (d === '$' && src[j + 1] === '{') break;
      }
      if (j >= n) return undefined;
      if (src[j] === '`') {
        i = j + 1;
        prev = 'str';
      } else {
        templates.push(depth);
        i = j + 2;
        prev = '{';
      }
      continue;
    }
    if (c === '/' && REGEX_AFTER.has(prev)) {
      const end = skipRegex(src, i);
      if (end === -1) return undefined;
      i = end;
      prev = 'regex';
      continue;
    }
    if (IDENT.test(c)) {
      let j = i + 1;
      while (j < n && IDENT.test(src[j]!)) j++;
      const word = src.slice(i, j);
      // `x.yield` is a property (comments between do not count: prev skips them)
      const dotted = prev === '.';
      // a key (`{ yield: 1 }`) or shorthand is not the keyword; tsc never emits a bare `yield`
      if (word === 'yield' && !dotted && !/^\s*[:,})\];=]/.test(src.slice(j, j + 40))) {
        out.push(src.slice(last, i), 'await');
        last = j;
      }
      prev = /^[0-9]/.test(word) || dotted ? 'ident' : REGEX_AFTER.has(word) ? word : 'ident';
      i = j;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  if (templates.length > 0) return undefined;
  out.push(src.slice(last));
  return out.join('');
}

function skipQuoted(src: string, start: number, quote: string): number {
  for (let j = start + 1; j < src.length; j++) {
    const d = src[j];
    if (d === '\\') j++;
    else if (d === quote) return j + 1;
    else if (d === '\n') return -1;
  }
  return -1;
}

function skipRegex(src: string, start: number): number {
  let inClass = false;
  for (let j = start + 1; j < src.length; j++) {
    const d = src[j];
    if (d === '\\') j++;
    else if (d === '[') inClass = true;
    else if (d === ']') inClass = false;
    else if (d === '/' && !inClass) {
      let k = j + 1;
      while (k < src.length && /[a-z]/i.test(src[k]!)) k++;
      return k;
    } else if (d === '\n') return -1;
  }
  return -1;
}

let installed = false;
let rewritten = 0;

/**
 * Hooks CommonJS compilation so that botbuilder's packages load with native async functions.
 * Idempotent; a no-op with HANDOVER_NATIVE_ASYNC=0. Modules already loaded stay as they are, so
 * call it before anything requires botbuilder.
 *
 * @example
 * installNativeAsync();
 * const { TurnContext } = require('botbuilder');
 */
export function installNativeAsync(): void {
  if (installed || process.env.HANDOVER_NATIVE_ASYNC === '0') return;
  installed = true;
  type Compile = (this: unknown, content: string, filename: string) => unknown;
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const original = proto._compile;
  proto._compile = function compile(this: unknown, content: string, filename: string) {
    if (PACKAGES.test(filename)) {
      const r = rewrite(content);
      if (r.bodies > 0) {
        rewritten += r.bodies;
        return original.call(this, r.source, filename);
      }
    }
    return original.call(this, content, filename);
  };
}

/** True once `installNativeAsync()` hooked compilation (false with HANDOVER_NATIVE_ASYNC=0). */
export function nativeAsyncInstalled(): boolean {
  return installed;
}

/**
 * How many async bodies were loaded native so far (0 when the hook is off or came too late).
 *
 * @example
 * if (nativeAsyncBodies() === 0) log.warn('botbuilder was loaded before installNativeAsync()');
 */
export function nativeAsyncBodies(): number {
  return rewritten;
}
