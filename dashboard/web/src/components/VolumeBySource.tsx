import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { getJson, pipelinePath, type Filters, type SourceVolume } from '../api';
import { sentimentColor } from '../colors';

/** Posts per source in the window; each bar coloured by that source's mean sentiment. */
export function VolumeBySource({ pipeline, filters }: { pipeline: string; filters: Filters }) {
  const sources = useQuery({
    queryKey: ['sources', pipeline, filters.window],
    queryFn: () => getJson<SourceVolume[]>(`${pipelinePath(pipeline)}/sources`, { window: filters.window }),
  });
  const data = sources.data ?? [];
  return (
    <div data-testid="volume-by-source" data-sources={data.map((d) => d.source).join(',')}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3340" />
          <XAxis dataKey="source" stroke="#8b98a8" fontSize={11} />
          <YAxis stroke="#8b98a8" fontSize={11} allowDecimals={false} />
          <Tooltip contentStyle={{ background: '#111821', border: '1px solid #2a3340' }}
            formatter={(v, _n, item) => [`${v} posts, mean ${(item.payload as SourceVolume).meanScore.toFixed(2)}`, 'volume']} />
          <Bar dataKey="count" isAnimationActive={false}>
            {data.map((d) => <Cell key={d.source} fill={sentimentColor(d.meanScore)} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
