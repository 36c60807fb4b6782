import { useQuery } from '@tanstack/react-query';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { getJson, pipelinePath, type Filters, type SeriesPoint } from '../api';
import { LABEL_COLORS } from '../colors';

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Per window: stacked bars of negative/neutral/positive posts and the mean score (-1…1) as a line. */
export function SentimentChart({ pipeline, filters }: { pipeline: string; filters: Filters }) {
  const series = useQuery({
    queryKey: ['series', pipeline, filters],
    queryFn: () => getJson<SeriesPoint[]>(`${pipelinePath(pipeline)}/series`, filters as unknown as Record<string, string>),
  });
  const data = (series.data ?? []).map((p) => ({ ...p, t: time(p.windowStart) }));
  return (
    <div data-testid="sentiment-chart" data-points={data.length} data-last-count={data.at(-1)?.count ?? 0}>
      {series.isError && <p className="error">{String(series.error.message)}</p>}
      {data.length === 0 && !series.isError && <p className="muted">No windows yet for these filters.</p>}
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3340" />
          <XAxis dataKey="t" stroke="#8b98a8" fontSize={11} minTickGap={24} />
          <YAxis yAxisId="count" stroke="#8b98a8" fontSize={11} allowDecimals={false} />
          <YAxis yAxisId="score" orientation="right" domain={[-1, 1]} stroke="#f0c05a" fontSize={11} />
          <Tooltip contentStyle={{ background: '#111821', border: '1px solid #2a3340' }} />
          <Legend />
          <Bar yAxisId="count" dataKey="negative" stackId="n" fill={LABEL_COLORS.NEGATIVE} isAnimationActive={false} />
          <Bar yAxisId="count" dataKey="neutral" stackId="n" fill={LABEL_COLORS.NEUTRAL} isAnimationActive={false} />
          <Bar yAxisId="count" dataKey="positive" stackId="n" fill={LABEL_COLORS.POSITIVE} isAnimationActive={false} />
          <Line yAxisId="score" dataKey="meanScore" name="mean score" stroke="#f0c05a" dot={false} strokeWidth={2}
            isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
