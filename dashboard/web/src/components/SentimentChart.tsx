import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { getJson, pipelinePath, type Filters, type SeriesPoint } from '../api';
import { LABEL_COLORS, MEAN_LINE } from '../colors';
import { time } from '../format';

export type DrillWindow = (p: SeriesPoint, sentiment?: string) => void;

/**
 * Per window: stacked bars of negative/neutral/positive posts and the mean score (-1…1) as a line. A click on a bar
 * (or on a row of its data table, from the keyboard) drills the posts table down to that window and label.
 */
export function SentimentChart({ pipeline, filters, brand, onDrill, height = 260, testId = 'sentiment-chart' }: {
  pipeline: string; filters: Filters; brand?: string; onDrill: DrillWindow; height?: number; testId?: string;
}) {
  const params = { window: filters.window, source: filters.source, geo: filters.geo, brand: brand ?? filters.brand };
  const series = useQuery({
    queryKey: ['series', pipeline, params],
    queryFn: () => getJson<SeriesPoint[]>(`${pipelinePath(pipeline)}/series`, params),
  });
  const data = (series.data ?? []).map((p) => ({ ...p, t: time(p.windowStart) }));
  // A click anywhere on a window drills down to it; when it hit a bar segment (whose handler runs first), to that
  // segment's label only. The segment knows its own window; the chart's active index may lag the pointer.
  const clicked = useRef<{ label: string; point?: SeriesPoint } | undefined>(undefined);
  const onChartClick = (state: unknown) => {
    const i = Number((state as { activeIndex?: number | string | null } | null)?.activeIndex);
    const segment = clicked.current;
    clicked.current = undefined;
    const point = segment?.point ?? (Number.isInteger(i) ? data[i] : undefined);
    if (point) onDrill(point, segment?.label);
  };
  const bar = (label: 'negative' | 'neutral' | 'positive') => (
    <Bar yAxisId="count" dataKey={label} stackId="n" fill={LABEL_COLORS[label.toUpperCase() as keyof typeof LABEL_COLORS]}
      isAnimationActive={false} cursor="pointer"
      // Our own shape, so the segment's click is a plain DOM handler (it runs before the chart's, which drills).
      shape={(props: unknown) => {
        const p = props as { payload?: SeriesPoint } & Record<string, unknown>;
        return <Rectangle {...p} className="segment" data-label={label.toUpperCase()} data-start={p.payload?.windowStart}
          onClick={() => { clicked.current = { label: label.toUpperCase(), point: p.payload }; }} />;
      }} />
  );
  return (
    <div data-testid={testId} data-points={data.length} data-last-count={data.at(-1)?.count ?? 0}
      data-total={data.reduce((s, p) => s + p.count, 0)}>
      {series.isError && <p className="error">{String(series.error.message)}</p>}
      {data.length === 0 && !series.isError && <p className="muted">No windows yet for these filters.</p>}
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} onClick={onChartClick}
          style={{ cursor: 'pointer' }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" fontSize={11} minTickGap={24} />
          <YAxis yAxisId="count" fontSize={11} allowDecimals={false} />
          <YAxis yAxisId="score" orientation="right" domain={[-1, 1]} fontSize={11} />
          <Tooltip wrapperClassName="tooltip" cursor={false} />
          <Legend />
          {bar('negative')}
          {bar('neutral')}
          {bar('positive')}
          <Line yAxisId="score" dataKey="meanScore" name="mean score" stroke={MEAN_LINE} dot={false} activeDot={false} strokeWidth={2}
            isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <details className="data-table">
        <summary>Windows as a table</summary>
        <table>
          <thead><tr><th>window</th><th>posts</th><th>negative</th><th>neutral</th><th>positive</th><th>mean</th></tr></thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.windowStart}>
                <td><button className="link" onClick={() => onDrill(p)}>{p.t}</button></td>
                <td>{p.count}</td><td>{p.negative}</td><td>{p.neutral}</td><td>{p.positive}</td><td>{p.meanScore.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
