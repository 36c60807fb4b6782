import { SOURCES, type Coverage, type Filters } from '../api';
import { time } from '../format';

const GEOS = ['', 'US', 'GB', 'DE', 'FR', 'IE', 'NL', 'ES', 'CA', 'IN', 'JP', 'AU', 'BR'];

const seconds = (w: string) => {
  const m = /^(\d+)(s|m|h|d)$/.exec(w);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'] : 0;
};

/**
 * Time window, source and country: they apply to every panel that has that dimension. Only windows the backend can
 * fill (within its look-back) are offered, and the bar says what period the data held actually covers.
 */
export function FilterBar({ filters, coverage, onChange }: {
  filters: Filters; coverage?: Coverage; onChange: (f: Partial<Filters>) => void;
}) {
  const windows = coverage?.windows ?? ['15m'];
  const from = coverage?.aggregatesFrom ?? coverage?.brandsFrom;
  const heldSeconds = from && coverage ? (Date.parse(coverage.now) - Date.parse(from)) / 1000 : 0;
  return (
    <div className="filters">
      <label>Window
        <select data-testid="filter-window" value={filters.window} onChange={(e) => onChange({ window: e.target.value })}>
          {windows.map((w) => (
            <option key={w} value={w}>last {w}{heldSeconds > 0 && seconds(w) > heldSeconds + 60 ? ' (partly held)' : ''}</option>
          ))}
        </select>
      </label>
      <label>Source
        <select data-testid="filter-source" value={filters.source} onChange={(e) => onChange({ source: e.target.value })}>
          <option value="">all</option>
          {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>Country
        <select data-testid="filter-geo" value={filters.geo} onChange={(e) => onChange({ geo: e.target.value })}>
          {GEOS.map((g) => <option key={g} value={g}>{g || 'all'}</option>)}
        </select>
      </label>
      {coverage && (
        <span className="coverage muted" data-testid="coverage" data-from={from ?? ''} data-posts-from={coverage.postsFrom ?? ''}>
          {from ? <>data covers {time(from)} – {time(coverage.now)}</> : <>no data yet</>}
          {' · '}posts held since {coverage.postsFrom ? time(coverage.postsFrom) : '—'} ({coverage.postsHeld} of at most {coverage.maxPosts})
          {' · '}look-back {coverage.lookback}
        </span>
      )}
    </div>
  );
}
