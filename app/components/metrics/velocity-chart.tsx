import { Bar, BarChart, CartesianGrid, LabelList, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { VelocityRange } from '~/domain/forecast';
import { ChartFigure } from './chart-figure';

export interface VelocityPoint {
  name: string;
  accepted: number;
}

/** Accepted points per closed sprint, each bar labelled with its number, and the average of the last 3 to 5 as a dashed line. */
export function VelocityChart({
  sprints,
  range,
  csvHref,
}: {
  sprints: VelocityPoint[];
  range: VelocityRange | null;
  csvHref?: string;
}) {
  const description = range
    ? `Average of the last ${range.sprints} sprints: ${range.average} points (lowest ${range.lowest}, highest ${range.highest}).`
    : `Not enough history for an average: ${sprints.length} closed sprint${sprints.length === 1 ? '' : 's'}, 3 needed.`;
  return (
    <ChartFigure
      title="Velocity"
      description={description}
      csvHref={csvHref}
      table={{ head: ['Sprint', 'Accepted points'], rows: sprints.map((s) => [s.name, s.accepted]) }}
    >
      {sprints.length === 0 ? (
        <p className="muted">No closed sprint yet.</p>
      ) : (
        <BarChart
          accessibilityLayer={false}
          width={560}
          height={260}
          data={sprints}
          margin={{ top: 24, right: 16, bottom: 8, left: 0 }}
        >
          <CartesianGrid strokeDasharray="2 4" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
          <Bar dataKey="accepted" name="Accepted points" fill="#1d4ed8" isAnimationActive={false}>
            <LabelList dataKey="accepted" position="top" fontSize={12} />
          </Bar>
          {range ? (
            <ReferenceLine
              y={range.average}
              stroke="#1b1f24"
              strokeDasharray="6 4"
              label={{ value: `average ${range.average}`, position: 'insideTopRight', fontSize: 12 }}
            />
          ) : null}
        </BarChart>
      )}
    </ChartFigure>
  );
}
