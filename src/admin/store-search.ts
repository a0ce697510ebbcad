import type { Db } from '../db/client.ts';
import { storeLabel } from '../../views/admin.tsx';
import { Invalid } from '../http/errors.ts';

export interface Store {
  id: number;
  name: string;
}

/** How many stores a search suggests: enough to pick from, never a list of thousands. */
export const STORE_MATCHES = 8;

/** A store's number as typed: "12", "#12", or a label "Name (#12)" (storeLabel, views/admin.tsx). */
const numberIn = (text: string) => /^#?(\d{1,9})$/.exec(text)?.[1] ?? /\(#(\d{1,9})\)$/.exec(text)?.[1];

/**
 * Stores matching what was typed: the one with that number, or those whose name starts with the
 * text (any case), the exact name first. Prefix search uses sellers_name_lower_idx, so it costs the
 * same with 10,000 stores as with 10.
 */
export async function storeMatches(sql: Db, text: string, limit = STORE_MATCHES): Promise<Store[]> {
  const number = numberIn(text);
  if (number) return sql<Store[]>`select id, name from sellers where id = ${Number(number)}`;
  return sql<Store[]>`
    select id, name from sellers
    where lower(name) like ${text.toLowerCase().replace(/[\\%_]/g, '\\$&')} || '%'
    order by lower(name) = ${text.toLowerCase()} desc, lower(name), id limit ${limit}`;
}

/**
 * The store a filter names: its number (#12 or 12, or a label "Name (#12)"), its exact name, or
 * the one store whose name starts with the text. Anything else is a field message listing a few
 * matches, never a long list.
 */
export async function findStore(sql: Db, text: string): Promise<Store> {
  const rows = await storeMatches(sql, text, 6);
  const exact = rows.filter((s) => s.name.toLowerCase() === text.toLowerCase());
  if (rows.length === 1 || exact.length === 1) return exact[0] ?? rows[0]!;
  if (!rows.length) throw new Invalid('Please correct the highlighted fields.', { store: `No store is called “${text}” or has that number.` });
  const listed = rows.slice(0, 5).map(storeLabel).join(', ');
  throw new Invalid('Please correct the highlighted fields.', {
    store: `Several stores match: ${listed}${rows.length > 5 ? ', …' : ''}. Type more of the name or the store's number.`,
  });
}
