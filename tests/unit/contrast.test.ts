import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The browser tests run axe, but only at whatever moment of the new-order highlight (a 6 s fade
// from --hl to --card) they happen to look: a colour that fails at the start of the fade failed
// them now and then. Here every text colour is checked against both ends, always.
const css = readFileSync('public/css/base.css', 'utf8');
const colour = (name: string) => {
  const value = css.match(new RegExp(`--${name}:\\s*#([0-9a-f]{6}|[0-9a-f]{3});`, 'i'))?.[1];
  if (!value) throw new Error(`--${name} is not a #rgb or #rrggbb colour in base.css`);
  return `#${value.length === 3 ? [...value].map((d) => d + d).join('') : value}`;
};

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('colours', () => {
  it('keep 4.5:1 for status, stock and connection text on cards, the page and the new-order highlight', () => {
    const texts = ['ink', 'muted', 'brand', 'ok', 'warn', 'bad'];
    const grounds = ['card', 'bg', 'hl'];
    const failing = texts.flatMap((t) => grounds.map((g) => ({ text: t, on: g, ratio: Math.round(contrast(colour(t), colour(g)) * 100) / 100 }))).filter((p) => p.ratio < 4.5);
    expect(failing).toEqual([]);
  });

  it('measures the ratio as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#9a6700', '#fff6cc')).toBeLessThan(4.5); // the old --warn on the highlight: 4.48
  });
});
