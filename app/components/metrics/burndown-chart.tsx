import { CartesianGrid, ComposedChart, Legend, Line, XAxis, YAxis } from 'recharts';
import type { Burndown } from '~/domain/burndown';
import { formatCalendarDate } from '~/utils/dates';
import { ChartFigure } from './chart-figure';

/**
 * Remaining points per day (solid line with square markers) against the ideal line (dashed, no markers): the two
 * differ in shape as well as colour. Scope added or removed is in the table and the CSV.
 */
export function BurndownChart({
  title,
  burndown,
  csvHref,
}: {
  title: string;
  burndown: Burndown;
  csvHref?: string;
}) {
  const added = burndown.days.reduce((s, d) => s + d.added, 0);
  const removed = burndown.days.reduce((s, d) => s + d.removed, 0);
  const last = [...burndown.days].reverse().find((d) => d.remaining !== null);
  const description = `Committed ${burndown.committed} points; ${last ? `${last.remaining} remaining on ${formatCalendarDate(last.date)}` : 'not started yet'}; scope added ${added}, removed ${removed}.`;
  const data = burndown.days.map((d) => ({ ...d, day: formatCalendarDate(d.date, { year: false }) }));
  return (
    <ChartFigure
      title={title}
      description={description}
      csvHref={csvHref}
      table={{
        head: ['Day', 'Remaining', 'Ideal', 'Completed', 'Added', 'Removed'],
        rows: burndown.days.map((d) => [
          formatCalendarDate(d.date),
          d.remaining,
          d.ideal,
          d.completed,
          d.added,
          d.removed,
        ]),
      }}
    >
      <ComposedChart
        accessibilityLayer={false}
        width={560}
        height={260}
        data={data}
        margin={{ top: 16, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="2 4" vertical={false} />
        <XAxis dataKey="day" tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={36} />
        <Legend />
        <Line
          dataKey="ideal"
          name="Ideal"
          stroke="#57606a"
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="remaining"
          name="Remaining"
          stroke="#1d4ed8"
          strokeWidth={2}
          dot={{ r: 3 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}
