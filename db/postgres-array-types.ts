type Sql = import('postgres').Sql;

/** The parts of postgres.js's parsed options that hold array types; `shared` is not in its type declarations. */
interface ArrayTypeTables {
  parsers: Record<number, unknown>;
  serializers: Record<number, unknown>;
  shared?: { typeArrayMap?: Record<number, number> };
}

/**
 * Gives `to` the array types `from` has fetched, so `to` can connect with `fetch_types: false`.
 *
 * postgres.js fetches the array types anew on every connection it opens and drops that query's promise
 * (porsager/postgres#1192, #1223): when the server fails the query (a restart, a terminated backend, a statement
 * timeout while the connection starts) the rejection is unhandled and Node exits, taking every request with it.
 * One connection opened for it after the migrations fetches them once; the pool reuses them and never runs that
 * query itself.
 */
export function shareArrayTypes(from: Sql, to: Sql): void {
  const source = from.options as unknown as ArrayTypeTables;
  const target = to.options as unknown as ArrayTypeTables;
  const map = source.shared?.typeArrayMap ?? {};
  if (!target.shared) throw new Error('postgres.js options have no shared type table');
  target.shared.typeArrayMap ??= {};
  for (const [element, array] of Object.entries(map)) {
    target.shared.typeArrayMap[Number(element)] = array;
    target.parsers[array] = source.parsers[array];
    target.serializers[array] = source.serializers[array];
  }
}
