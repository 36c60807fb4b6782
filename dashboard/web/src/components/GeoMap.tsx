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
 * mean sentiment there. Drawn with D3's projection from world-atlas (Natural Earth 1:110m).
 */
export function GeoMap({ pipeline, filters }: { pipeline: string; filters: Filters }) {
  const cells = useQuery({
    queryKey: ['geo', pipeline, filters.window, filters.source],
    queryFn: () => getJson<GeoCell[]>(`${pipelinePath(pipeline)}/geo`, { window: filters.window, source: filters.source }),
  });
  const data = cells.data ?? [];
  const radius = useMemo(() => scaleSqrt().domain([0, max(data, (d) => d.count) ?? 1]).range([0, 26]), [data]);
  const countries = useMemo(() => land.features.map((f, i) => <path key={i} d={path(f) ?? ''} />), []);
  return (
    <svg data-testid="geo-map" data-cells={data.length} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="map">
      <defs>
        <filter id="heat-blur" x="-50%" y="-50%" width="200%" height="200%">
          <feGaussianBlur stdDeviation="4" />
        </filter>
      </defs>
      <g className="land">{countries}</g>
      <g filter="url(#heat-blur)">
        {data.map((c) => {
          const [x, y] = projection([c.lon, c.lat]) ?? [0, 0];
          return <circle key={`${c.lat},${c.lon}`} cx={x} cy={y} r={Math.max(4, radius(c.count))}
            fill={sentimentColor(c.meanScore)} fillOpacity={0.75} />;
        })}
      </g>
      <g>
        {data.map((c) => {
          const [x, y] = projection([c.lon, c.lat]) ?? [0, 0];
          return <circle key={`dot-${c.lat},${c.lon}`} cx={x} cy={y} r={1.5} fill="#fff">
            <title>{`${c.place ?? ''} ${c.count} posts, mean ${c.meanScore.toFixed(2)}`}</title>
          </circle>;
        })}
      </g>
    </svg>
  );
}
