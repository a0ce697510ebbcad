import type { AdminOrderRow } from './service.ts';

// A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a leading apostrophe.
const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180 quoting), with text that a spreadsheet would run as a formula neutralised.
 * Quoted whenever it holds a quote, a line break or a separator: spreadsheets in many locales split
 * on `;` (and some on tabs), so an unquoted `;` would shift every later column of the row.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: (string | number)[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const CSV_HEADER = ['Order number', 'Placed at (UTC)', 'Status', 'Customer', 'Email', 'Phone', 'Delivery address', 'Stores', 'Store statuses', 'Total', 'Amount due', 'Currency'];

/** Money as a plain decimal ("12.50") that spreadsheets sum; the currency has its own column. */
const decimal = (minor: number) => (minor / 100).toFixed(2);

export const csvRow = (o: AdminOrderRow, currency: string) =>
  csvLine([
    o.orderNumber, new Date(o.orderDate).toISOString(), o.status, o.customerName, o.customerEmail, o.customerPhone, o.deliveryAddress, o.stores.join('; '),
    // Each store's part, "Store: status", so that a split order's parts can be read without opening it.
    o.parts.map((p) => `${p.storeName}: ${p.status}`).join('; '),
    decimal(o.totalAmount), decimal(o.amountDue), currency,
  ]);
