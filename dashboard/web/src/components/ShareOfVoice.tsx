import { useQuery } from '@tanstack/react-query';
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { getJson, pipelinePath, type Filters, type ShareOfVoice as Sov } from '../api';
import { brandColor } from '../colors';
import { pct, points, signed, time } from '../format';

export function useShare(pipeline: string, filters: Filters) {
  const params = { window: filters.window, source: filters.source, geo: filters.geo };
  return useQuery({
    queryKey: ['share', pipeline, params],
    queryFn: () => getJson<Sov>(`${pipelinePath(pipeline)}/share`, params),
  });
}

/**
 * Share of voice: each brand's part of all brand mentions per bucket (stacked to 100 %), and per brand over the
 * window its posts, share and net sentiment ((positive − negative) / posts) with the change from the window before.
 * A click on the area (or a row's time button) drills the posts down to that bucket; a brand's name picks it.
 */
export function ShareOfVoice({ pipeline, filters, onDrill, onBrand }: {
  pipeline: string; filters: Filters; onDrill: (from: string, to: string) => void; onBrand: (brand: string) => void;
}) {
  const share = useShare(pipeline, filters);
  const sov = share.data;
  if (!sov) return <p className="muted">Loading…</p>;
  if (sov.brands.length === 0) return <p className="muted">This pipeline declares no brands (PULSE_DASHBOARD_BRANDS).</p>;
  const data = sov.points.map((p) => ({ ...p.counts, start: p.start, end: p.end, t: time(p.start) }));
  return (
    <div data-testid="share-of-voice" data-points={data.length}>
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart data={data} stackOffset="expand" margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ cursor: 'pointer' }}
          onClick={(state: unknown) => {
            const i = Number((state as { activeIndex?: number | string | null })?.activeIndex);
            if (Number.isInteger(i) && data[i]) onDrill(data[i].start, data[i].end);
          }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" fontSize={11} minTickGap={24} />
          <YAxis fontSize={11} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip wrapperClassName="tooltip" />
          <Legend />
          {sov.brands.map((b) => (
            <Area key={b} type="monotone" dataKey={b} stackId="sov" stroke={brandColor(sov.brands, b)}
              fill={brandColor(sov.brands, b)} fillOpacity={0.75} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <table className="sov" data-testid="sov-table">
        <caption className="sr-only">Share of voice per brand over the window, with the change from the window before</caption>
        <thead><tr><th>brand</th><th>posts</th><th>share</th><th>Δ share</th><th>net sentiment</th><th>Δ net</th></tr></thead>
        <tbody>
          {sov.totals.map((t) => (
            <tr key={t.brand} data-testid="sov-row" data-brand={t.brand} data-count={t.count} data-share={t.share}
              data-net={t.net} data-share-change={t.shareChange ?? ''} data-net-change={t.netChange ?? ''}>
              <td><span className="swatch" style={{ background: brandColor(sov.brands, t.brand) }} aria-hidden="true" />
                <button className="link" onClick={() => onBrand(t.brand)}>{t.brand}</button></td>
              <td>{t.count}</td>
              <td>{pct(t.share)}</td>
              <td title={t.previous ? `previous ${pct(t.previous.share)}` : 'no previous window held'}>{points(t.shareChange)}</td>
              <td>{signed(t.net)}</td>
              <td title={t.previous ? `previous ${signed(t.previous.net)}` : 'no previous window held'}>{points(t.netChange)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
