import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { getJson, pipelinePath, type Filters, type SourceVolume } from '../api';
import { sentimentColor } from '../colors';

/** Posts per source in the window, each bar coloured by that source's mean sentiment; a click filters by source. */
export function VolumeBySource({ pipeline, filters, onPick }: {
  pipeline: string; filters: Filters; onPick: (source: string) => void;
}) {
  const sources = useQuery({
    queryKey: ['sources', pipeline, filters.window, filters.brand],
    queryFn: () => getJson<SourceVolume[]>(`${pipelinePath(pipeline)}/sources`, { window: filters.window, brand: filters.brand }),
  });
  const data = sources.data ?? [];
  return (
    <div data-testid="volume-by-source" data-sources={data.map((d) => d.source).join(',')}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="source" fontSize={11} />
          <YAxis fontSize={11} allowDecimals={false} />
          <Tooltip wrapperClassName="tooltip"
            formatter={(v, _n, item) => [`${v} posts, mean ${(item.payload as SourceVolume).meanScore.toFixed(2)}`, 'volume']} />
          <Bar dataKey="count" isAnimationActive={false} cursor="pointer"
            onClick={(entry: unknown) => onPick((((entry as { payload?: SourceVolume }).payload ?? entry) as SourceVolume).source)}>
            {data.map((d) => <Cell key={d.source} fill={sentimentColor(d.meanScore)} />)}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <div className="chips" aria-label="Filter the posts by source">
        {data.map((d) => (
          <button key={d.source} className="chip" data-testid="source-pick" data-source={d.source}
            onClick={() => onPick(d.source)}>{d.source} · {d.count}</button>
        ))}
      </div>
    </div>
  );
}
