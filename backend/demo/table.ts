// A tiny aligned-text table printer for the demo's output (no dependencies).

export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  /** Columns to right-align (numbers), by header name. */
  alignRight?: readonly string[];
  /** Longest cell before it is cut with an ellipsis. Default 48. */
  maxWidth?: number;
}

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return '-';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell).replace(/\s+/g, ' ').trim();
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(1, max - 1))}…`;
}

/** Renders a titled table; `footer` rows (totals) are printed under a second rule. */
export function renderTable(
  title: string,
  headers: readonly string[],
  rows: readonly Cell[][],
  options: TableOptions & { footer?: Cell[][] } = {},
): string {
  const max = options.maxWidth ?? 48;
  const body = rows.map((row) => headers.map((_, i) => cut(text(row[i]), max)));
  // Totals leave the columns they do not sum empty.
  const footer = (options.footer ?? []).map((row) =>
    headers.map((_, i) => (row[i] === '' ? '' : cut(text(row[i]), max))),
  );
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...[...body, ...footer].map((row) => row[i]!.length)),
  );
  const right = new Set(options.alignRight ?? []);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(headers[i]!) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [title, '='.repeat(title.length), line([...headers]), rule, ...body.map(line)];
  if (body.length === 0) out.push('(none)');
  if (footer.length > 0) out.push(rule, ...footer.map(line));
  return `${out.join('\n')}\n`;
}
