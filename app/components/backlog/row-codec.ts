import type { BacklogRowData } from './backlog-list';

/**
 * The backlog's rows on the wire: one JSON text of arrays instead of 10,000 objects. Remix's stream encodes
 * every value of an object graph one by one (and the page embeds that stream again in the HTML); a single string
 * of tuples is several times cheaper to send and to parse, in the page's first screen and in the rows endpoint's
 * pages alike.
 */
export type RowTuple = [
  BacklogRowData['id'],
  BacklogRowData['type'],
  BacklogRowData['title'],
  BacklogRowData['status'],
  BacklogRowData['estimate'],
  BacklogRowData['wsjf'],
  BacklogRowData['moscow'],
  BacklogRowData['labels'],
  BacklogRowData['parentId'],
  BacklogRowData['position'],
  BacklogRowData['dorMet'],
  BacklogRowData['dorTotal'],
  BacklogRowData['openBlockers'],
  BacklogRowData['blockersBelow'],
  BacklogRowData['forecast'],
  BacklogRowData['externalKey'],
  /** three amigos held (issue 18): 1, or absent */
  1?,
];

export function encodeRows(rows: readonly BacklogRowData[]): string {
  return JSON.stringify(
    rows.map((r): RowTuple => {
      const tuple: RowTuple = [
        r.id,
        r.type,
        r.title,
        r.status,
        r.estimate,
        r.wsjf,
        r.moscow,
        r.labels,
        r.parentId,
        r.position,
        r.dorMet,
        r.dorTotal,
        r.openBlockers,
        r.blockersBelow,
        r.forecast ?? null,
        r.externalKey ?? null,
      ];
      // Only when held: the other rows stay as short as before.
      if (r.threeAmigos) tuple.push(1);
      return tuple;
    }),
  );
}

export function decodeRows(text: string): BacklogRowData[] {
  return rowsFromTuples(JSON.parse(text) as RowTuple[]);
}

/** Rows from tuples already parsed (e.g. as part of a larger JSON answer). */
export function rowsFromTuples(tuples: readonly RowTuple[]): BacklogRowData[] {
  return tuples.map(
    ([
      id,
      type,
      title,
      status,
      estimate,
      wsjf,
      moscow,
      labels,
      parentId,
      position,
      dorMet,
      dorTotal,
      openBlockers,
      blockersBelow,
      forecast,
      externalKey,
      threeAmigos,
    ]) => ({
      ...(threeAmigos === 1 ? { threeAmigos: true } : {}),
      id,
      type,
      title,
      status,
      estimate,
      wsjf,
      moscow,
      labels,
      parentId,
      position,
      dorMet,
      dorTotal,
      openBlockers,
      blockersBelow,
      forecast: forecast ?? null,
      externalKey: externalKey ?? null,
    }),
  );
}
