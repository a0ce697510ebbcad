import type { Page } from '../src/orders/queries.ts';
import { count } from './format.ts';

export type PageLink = { cursor: number | string } | { before: number | string };

/** The query string of a page link. */
export const pageQuery = (to: PageLink) => ('cursor' in to ? `cursor=${to.cursor}` : `before=${to.before}`);

/** Links to the newer and older pages of a list, with where this page sits ("Orders 21–40 of 57"). */
export function Pager({ page, url, noun }: { page: Pick<Page<unknown, number | string>, 'nextCursor' | 'prevCursor' | 'position'>; url: (to: PageLink) => string; noun: string }) {
  const { position, prevCursor, nextCursor } = page;
  if (!prevCursor && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={`Pages of ${noun.toLowerCase()}`}>
      {prevCursor ? (
        <a href={url({ before: prevCursor })} rel="prev">
          ← Newer {noun.toLowerCase()}
        </a>
      ) : null}
      {position && (
        <span class="position">
          {noun} {count(position.from)}–{count(position.to)} of {count(position.total)}
        </span>
      )}
      {nextCursor ? (
        <a href={url({ cursor: nextCursor })} rel="next">
          Older {noun.toLowerCase()} →
        </a>
      ) : null}
    </nav>
  );
}
