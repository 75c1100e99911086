/**
 * A Markdown table padded the way Biome formats one, so the generated results pass `biome ci`. The first
 * `leftColumns` columns are text (left-aligned); the others are figures (right-aligned).
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string[] {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? '', width, column >= leftColumns)).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column < leftColumns ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

function pad(cell: string, width: number, right: boolean): string {
  return right ? cell.padStart(width) : cell.padEnd(width);
}
