import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { geoNaturalEarth1, geoPath, max, scaleSqrt } from 'd3';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { getJson, pipelinePath, type Filters, type GeoCell } from '../api';
import { sentimentColor } from '../colors';

const WIDTH = 520;
const HEIGHT = 270;
const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
const land = feature(topology, topology.objects.countries);
const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], land);
const path = geoPath(projection);

/**
 * A heat layer over the world: one blurred disc per 2° cell with posts, its area the volume and its colour the
 * mean sentiment there. Drawn with D3's projection from world-atlas (Natural Earth 1:110m). Each cell is a button
 * (click, or Tab + Enter): it drills the posts table down to the posts from that cell.
 */
export function GeoMap({ pipeline, filters, onPick }: {
  pipeline: string; filters: Filters; onPick: (cell: GeoCell) => void;
}) {
  const cells = useQuery({
    queryKey: ['geo', pipeline, filters.window, filters.source, filters.brand],
    queryFn: () => getJson<GeoCell[]>(`${pipelinePath(pipeline)}/geo`,
      { window: filters.window, source: filters.source, brand: filters.brand }),
  });
  const data = cells.data ?? [];
  const radius = useMemo(() => scaleSqrt().domain([0, max(data, (d) => d.count) ?? 1]).range([0, 26]), [data]);
  const countries = useMemo(() => land.features.map((f, i) => <path key={i} d={path(f) ?? ''} />), []);
  return (
    <svg data-testid="geo-map" data-cells={data.length} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="map"
      role="group" aria-label="Posts by place; each place is a button that lists its posts">
      <defs>
        <filter id="heat-blur" x="-50%" y="-50%" width="200%" height="200%">
          <feGaussianBlur stdDeviation="4" />
        </filter>
      </defs>
      <g className="land" aria-hidden="true">{countries}</g>
      <g filter="url(#heat-blur)" aria-hidden="true">
        {data.map((c) => {
          const [x, y] = projection([c.lon, c.lat]) ?? [0, 0];
          return <circle key={`${c.lat},${c.lon}`} cx={x} cy={y} r={Math.max(4, radius(c.count))}
            fill={sentimentColor(c.meanScore)} fillOpacity={0.75} />;
        })}
      </g>
      <g>
        {data.map((c) => {
          const [x, y] = projection([c.lon, c.lat]) ?? [0, 0];
          const label = `${c.place ?? `${c.lat},${c.lon}`}: ${c.count} posts, mean ${c.meanScore.toFixed(2)}`;
          return (
            <circle key={`dot-${c.lat},${c.lon}`} className="cell" cx={x} cy={y} r={Math.max(6, radius(c.count) * 0.6)}
              data-testid="geo-cell" data-cell={`${c.lat},${c.lon}`} data-count={c.count} data-place={c.place ?? ''}
              role="button" tabIndex={0} aria-label={label} onClick={() => onPick(c)}
              onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(c); } }}>
              <title>{label}</title>
            </circle>
          );
        })}
      </g>
    </svg>
  );
}
