/**
 * Counts in words with the locale's plural rules (Intl.PluralRules), never by gluing an "s" on: "1 token",
 * "0 tokens", and no "0 expireds". Only English forms ship today; the categories are the locale's own.
 */
const rules = new Intl.PluralRules('en');
const numbers = new Intl.NumberFormat('en');

export interface Forms {
  one: string;
  other: string;
}

/** "1 token", "3,005 tokens". */
export const count = (n: number, forms: Forms): string => `${numbers.format(n)} ${rules.select(n) === 'one' ? forms.one : forms.other}`;

/** The word alone, agreeing with n: "needs" / "need". */
export const agree = (n: number, forms: Forms): string => (rules.select(n) === 'one' ? forms.one : forms.other);

export const TOKENS: Forms = { one: 'token', other: 'tokens' };
export const DAYS: Forms = { one: 'day', other: 'days' };

/** "a, b and c"; parts that are empty are left out. */
export function listOf(parts: readonly (string | false | null | undefined)[]): string {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(kept);
}
