import { describe, expect, it } from 'vitest';
import { ColumnChart, type Bar } from '../../views/charts.tsx';
import { count, money } from '../../views/format.ts';

const bars = (values: number[]): Bar[] => values.map((value, i) => ({ label: `day ${i + 1}`, value, text: String(value) }));
/** The scale's labels from the bottom line up, as drawn. */
const scale = async (values: number[], axis: (v: number) => string) => {
  const svg = String(await (<ColumnChart id="c" title="t" summary="s" bars={bars(values)} axis={axis} />).toString());
  return [...svg.matchAll(/<g class="grid">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
};

// The stats page's own axis format for counts: whole orders.
const orders = (v: number) => count(Math.round(v));

describe('ColumnChart', () => {
  it('labels its scale at 0, the half and the top, and leaves out a half its format cannot show', async () => {
    expect(await scale([3, 7, 2], orders)).toEqual(['0', '5', '10']);
    expect(await scale([0, 1], orders)).toEqual(['0', '1']); // the half of 1 order would read "1"
    expect(await scale([0, 1], (v) => money(v * 100, 'USD'))).toEqual(['$0.00', '$0.50', '$1.00']);
  });
});
