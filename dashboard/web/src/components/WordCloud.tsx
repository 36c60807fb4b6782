import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import cloud from 'd3-cloud';
import { scaleSqrt, max } from 'd3';
import { getJson, pipelinePath, type Filters, type TermWeight } from '../api';
import { sentimentColor } from '../colors';

const WIDTH = 520;
const HEIGHT = 270;

interface Placed { text: string; size: number; x: number; y: number; rotate: number; polarity: number; count: number }

/**
 * The window's top terms laid out by d3-cloud: size by count, colour by the mean score of the posts using them. Each
 * term is a button (click, or Tab + Enter) that drills the posts table down to the posts using it.
 */
export function WordCloud({ pipeline, filters, onPick }: {
  pipeline: string; filters: Filters; onPick: (term: string) => void;
}) {
  const params = { window: filters.window, source: filters.source, geo: filters.geo, brand: filters.brand };
  const terms = useQuery({
    queryKey: ['terms', pipeline, params],
    queryFn: () => getJson<TermWeight[]>(`${pipelinePath(pipeline)}/terms`, { ...params, limit: 50 }),
  });
  const [words, setWords] = useState<Placed[]>([]);

  useEffect(() => {
    const data = terms.data ?? [];
    const size = scaleSqrt().domain([0, max(data, (d) => d.count) ?? 1]).range([11, 46]);
    const layout = cloud<Placed>()
      .size([WIDTH, HEIGHT])
      .words(data.map((d) => ({ text: d.term, size: size(d.count), polarity: d.polarity, count: d.count, x: 0, y: 0, rotate: 0 })))
      .padding(2)
      .rotate(() => 0)
      .font('system-ui, sans-serif')
      .fontSize((d) => d.size)
      .random(() => 0.5)
      .on('end', (placed) => setWords(placed as Placed[]));
    layout.start();
    return () => { layout.stop(); };
  }, [terms.data]);

  return (
    <svg data-testid="word-cloud" data-words={words.length} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="cloud"
      role="group" aria-label="Top terms; each term is a button that lists the posts using it">
      <g transform={`translate(${WIDTH / 2},${HEIGHT / 2})`}>
        {words.map((w) => (
          <text key={w.text} className="term" textAnchor="middle" transform={`translate(${w.x},${w.y})`} fontSize={w.size}
            fontFamily="system-ui, sans-serif" fill={sentimentColor(w.polarity)} data-testid="cloud-term" data-term={w.text}
            role="button" tabIndex={0} aria-label={`${w.text}: ${w.count} posts, mean ${w.polarity.toFixed(2)}`}
            onClick={() => onPick(w.text)}
            onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onPick(w.text); } }}>
            {w.text}
          </text>
        ))}
      </g>
    </svg>
  );
}
