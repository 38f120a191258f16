/**
 * Type-level equality of two data shapes, readonly modifiers aside: `true` when `A` and `B` have
 * the same properties (same names, same optionality, same types, all the way down), else `false`.
 * Used to prove at compile time that what a zod schema parses is exactly a hand-written domain
 * type (z.infer gives mutable types; the domain's are readonly).
 *
 * @example
 * type Ok = SameShape<{ a: string[] }, { readonly a: readonly string[] }>; // true
 * type Drift = SameShape<{ a: string; b?: number }, { readonly a: string }>; // false
 */
export type SameShape<A, B> = (<T>() => T extends DeepReadonly<A> ? 1 : 2) extends <T>() => T extends DeepReadonly<B> ? 1 : 2 ? true : false;

/**
 * Every property, array and tuple made readonly, recursively (functions left alone).
 *
 * @example
 * type R = DeepReadonly<{ a: [string, string][] }>; // { readonly a: readonly (readonly [string, string])[] }
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
