import { type ReactNode, useEffect, useState } from 'react';

/**
 * A chart with its caption, its numbers as a table (for screen readers, and for anyone without the picture), and a
 * CSV download of the same numbers. The chart library draws in the browser only, so the server sends the table.
 */
export function ChartFigure({
  title,
  description,
  csvHref,
  table,
  children,
}: {
  title: string;
  description: string;
  csvHref?: string;
  table: { head: string[]; rows: Array<Array<string | number | null>> };
  children: ReactNode;
}) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <figure className="chart card">
      <figcaption>
        <h3>{title}</h3>
        <p className="muted">{description}</p>
        {csvHref ? (
          <a href={csvHref} download>
            Download the data (CSV)
          </a>
        ) : null}
      </figcaption>
      <div className="chart-canvas" aria-hidden="true">
        {mounted ? children : null}
      </div>
      <details className="chart-data">
        <summary>The numbers</summary>
        <table>
          <thead>
            <tr>
              {table.head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={table.head[i]} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={table.head[i]}>{cell ?? '–'}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
