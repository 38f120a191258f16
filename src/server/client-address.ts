/**
 * Who a request comes from, as every per-address limit counts it (new web chat conversations,
 * customer lines, console sign-ins).
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The client a request comes from, as the limits count it: the socket's peer, or with
 * `trustedProxies` = n the n-th address from the right of `X-Forwarded-For` (what the outermost
 * trusted proxy saw). IPv4-mapped IPv6 is IPv4; other IPv6 addresses count by their /64 (one
 * household or host gets a whole /64).
 *
 * @example
 * clientAddress(req, 0); // "203.0.113.7", or "2001:db8:1:2/64"
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  let ip = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies > 0) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : header ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    const seen = hops[hops.length - trustedProxies];
    if (seen !== undefined) ip = seen;
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIPv6(ip)) return `${ipv6Prefix64(ip)}/64`;
  return ip;
}

/** The first four groups of an IPv6 address, `::` expanded. */
function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((g) => (g === '' ? '0' : g.toLowerCase().replace(/^0+(?=.)/, '')))
    .join(':');
}
