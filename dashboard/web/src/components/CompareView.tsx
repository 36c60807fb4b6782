import type { Filters, SeriesPoint } from '../api';
import { brandColor } from '../colors';
import { pct, points, signed } from '../format';
import { SentimentChart } from './SentimentChart';
import { useShare } from './ShareOfVoice';

/** Two or three brands side by side: their numbers over the window and their sentiment over time, on one scale each. */
export function CompareView({ pipeline, filters, brands, allBrands, onDrill }: {
  pipeline: string; filters: Filters; brands: string[]; allBrands: string[];
  onDrill: (brand: string, p: SeriesPoint, sentiment?: string) => void;
}) {
  const share = useShare(pipeline, filters);
  return (
    <div className="compare" data-testid="compare" style={{ gridTemplateColumns: `repeat(${brands.length}, minmax(0, 1fr))` }}>
      {brands.map((b) => {
        const t = share.data?.totals.find((x) => x.brand === b);
        return (
          <section key={b} className="panel" data-testid="compare-panel" data-brand={b} data-count={t?.count ?? ''}
            aria-label={`${b}`} style={{ borderTop: `4px solid ${brandColor(allBrands, b)}` }}>
            <h3>{b}</h3>
            {t && (
              <dl className="stats">
                <div><dt>posts</dt><dd>{t.count}</dd></div>
                <div><dt>share of voice</dt><dd>{pct(t.share)} <small>{points(t.shareChange)}</small></dd></div>
                <div><dt>net sentiment</dt><dd>{signed(t.net)} <small>{points(t.netChange)}</small></dd></div>
              </dl>
            )}
            <SentimentChart pipeline={pipeline} filters={filters} brand={b} height={180} testId="compare-chart"
              onDrill={(p, s) => onDrill(b, p, s)} />
          </section>
        );
      })}
    </div>
  );
}
