export type Format = 'table' | 'json' | 'json-pretty';

export interface IdentityRow {
  id: string;
  schema_id: string;
  state?: string;
  verifiable_addresses?: { value: string; verified: boolean }[];
  recovery_addresses?: { value: string }[];
}

const HEADER = ['ID', 'VERIFIED ADDRESS 1', 'RECOVERY ADDRESS 1', 'SCHEMA ID', 'STATE'];

function table(rows: IdentityRow[]): string {
  const cells = [
    HEADER,
    ...rows.map((row) => [
      row.id,
      row.verifiable_addresses?.[0]?.value ?? '<none>',
      row.recovery_addresses?.[0]?.value ?? '<none>',
      row.schema_id,
      row.state ?? '',
    ]),
  ];
  const widths = HEADER.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('\t')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** Identities as the CLI prints them; `single` prints one object rather than a list in JSON. */
export function formatIdentities(rows: IdentityRow[], format: Format, single: boolean): string {
  const value = single ? rows[0] : rows;
  if (format === 'json') return `${JSON.stringify(value)}\n`;
  if (format === 'json-pretty') return `${JSON.stringify(value, null, 2)}\n`;
  return table(rows);
}
