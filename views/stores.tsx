import type { StoreRow } from '../src/admin/stores.ts';
import type { Page } from '../src/orders/queries.ts';
import { count, dateTime, duration } from './format.ts';
import { FormError, type Errors } from './forms.tsx';
import { Pager, pageQuery, type PageLink } from './pager.tsx';


export type StoresFilters = { q?: string; show?: string };
const SHOW: [string, string][] = [
  ['all', 'All stores'],
  ['online', 'Online now'],
  ['waiting', 'With orders waiting'],
];

export function storesUrl(filters: StoresFilters, to?: PageLink) {
  const q = new URLSearchParams();
  if (filters.q) q.set('q', filters.q);
  if (filters.show && filters.show !== 'all') q.set('show', filters.show);
  const page = to ? pageQuery(to) : '';
  const query = [q.toString(), page].filter(Boolean).join('&');
  return query ? `/admin/stores?${query}` : '/admin/stores';
}

const Presence = ({ row }: { row: StoreRow }) =>
  row.online ? (
    <span class="online">Online now</span>
  ) : (
    <span class="muted">{row.lastSeen ? `Last seen ${dateTime(row.lastSeen)} UTC` : 'Never seen'}</span>
  );

/**
 * Every store with its seller, who is online now or when they were last seen, and the new orders
 * nobody acknowledged: a plain page, a search and a page of 50 at a time (10,000 stores and more).
 */
export function StoresPage({ filters, page, errors }: { filters: StoresFilters; page: Page<StoreRow>; errors?: Errors }) {
  return (
    <section class="admin-stores" aria-labelledby="stores-title">
      <h1 id="stores-title">Stores</h1>
      <form method="get" action="/admin/stores" class="filters" role="search" aria-label="Find stores">
        <FormError message={errors && Object.values(errors).join(' ')} />
        <div class={errors?.q ? 'field has-error' : 'field'}>
          <label for="stores-q">Store or seller</label>
          <input id="stores-q" name="q" type="search" value={filters.q ?? ''} aria-describedby="stores-q-hint" />
          <p id="stores-q-hint" class="hint">
            Part of a name or email, or a store number.
          </p>
        </div>
        <div class="field">
          <label for="stores-show">Show</label>
          <select id="stores-show" name="show">
            {SHOW.map(([value, label]) => (
              <option value={value} selected={(filters.show ?? 'all') === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-actions">
          <button type="submit">Find stores</button>
          <a href="/admin/stores">Clear</a>
        </div>
      </form>
      {page.rows.length ? (
        <div class="table-wrap" tabindex={0} role="region" aria-labelledby="stores-caption">
          <table class="stores">
            <caption id="stores-caption">{page.position ? `Stores ${count(page.position.from)}–${count(page.position.to)} of ${count(page.position.total)}` : 'Stores'}</caption>
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col">Seller</th>
                <th scope="col">Online</th>
                <th scope="col">Orders waiting</th>
                <th scope="col">Oldest waiting</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr id={`store-${row.id}`}>
                  <th scope="row">
                    {row.name} <span class="muted">#{row.id}</span>
                  </th>
                  <td>
                    {row.sellerName}
                    <br />
                    <a href={`mailto:${row.sellerEmail}`}>{row.sellerEmail}</a>
                  </td>
                  <td>
                    <Presence row={row} />
                  </td>
                  <td class="num">
                    {row.waiting ? (
                      <a href={`/admin/orders?store=${row.id}&status=pending`}>{count(row.waiting)}</a>
                    ) : (
                      '0'
                    )}
                  </td>
                  <td>{row.oldestSeconds === null ? <span class="muted">None</span> : duration(row.oldestSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">No stores match.</p>
      )}
      <Pager page={page} noun="Stores" url={(to) => storesUrl(filters, to)} />
    </section>
  );
}
