// Postgres text and jsonb cannot hold the NUL character (U+0000), which anything taken from a
// request may contain. Such values are stored with U+FFFD in its place rather than refused:
// a delivery is kept whatever it says (its raw bytes are stored untouched, as bytea).

export function postgresText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

export function optionalPostgresText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : postgresText(value);
}
