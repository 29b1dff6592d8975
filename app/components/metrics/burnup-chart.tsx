import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { BurnupPoint } from '~/domain/burndown';
import { ChartFigure } from './chart-figure';

/** Burn-up for an epic or release: total scope (dashed) and done points (solid, markers) at the end of each sprint. */
export function BurnupChart({
  title,
  points,
  csvHref,
}: {
  title: string;
  points: BurnupPoint[];
  csvHref?: string;
}) {
  const last = points.at(-1);
  const description = last
    ? `${last.done} of ${last.scope} points done by the end of ${last.label}.`
    : 'No sprint yet.';
  return (
    <ChartFigure
      title={title}
      description={description}
      csvHref={csvHref}
      table={{ head: ['Sprint', 'Scope', 'Done'], rows: points.map((p) => [p.label, p.scope, p.done]) }}
    >
      <LineChart
        accessibilityLayer={false}
        width={560}
        height={240}
        data={points}
        margin={{ top: 16, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="2 4" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
        <Legend />
        <Line
          dataKey="scope"
          name="Scope"
          stroke="#57606a"
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="done"
          name="Done"
          stroke="#1d4ed8"
          strokeWidth={2}
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}
