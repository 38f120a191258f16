// qrcode-terminal ships no types and there is no @types package installed; only `generate` is used.
declare module 'qrcode-terminal' {
  export function generate(input: string, opts?: { small?: boolean }, cb?: (qr: string) => void): void;
}
