/**
 * The one place a `next` or `back` value becomes a redirect target: a path on this site only.
 * Browsers drop tabs and line breaks inside a URL and read `\` as `/`, so `/<TAB>/evil.example`
 * or `/\evil.example` would leave the site; anything holding a control character, whitespace or
 * a backslash, or starting with `//`, falls back to `fallback`.
 */
export function safeRedirect(value: string | undefined | null, fallback: string): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  if (/[\p{Cc}\p{Cf}\p{Z}\s\\]/u.test(value)) return fallback;
  return value;
}
