import { SOURCES, type Filters } from '../api';

const WINDOWS = ['5m', '15m', '1h', '6h', '24h'];
const GEOS = ['', 'US', 'GB', 'DE', 'FR', 'IE', 'NL', 'ES', 'CA', 'IN', 'JP', 'AU', 'BR'];

/** Time window, source and country: they apply to the charts, the cloud, the map and the posts. */
export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  return (
    <div className="filters">
      <label>Window
        <select data-testid="filter-window" value={filters.window}
          onChange={(e) => onChange({ ...filters, window: e.target.value })}>
          {WINDOWS.map((w) => <option key={w} value={w}>last {w}</option>)}
        </select>
      </label>
      <label>Source
        <select data-testid="filter-source" value={filters.source}
          onChange={(e) => onChange({ ...filters, source: e.target.value })}>
          <option value="">all</option>
          {SOURCES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>Country
        <select data-testid="filter-geo" value={filters.geo}
          onChange={(e) => onChange({ ...filters, geo: e.target.value })}>
          {GEOS.map((g) => <option key={g} value={g}>{g || 'all'}</option>)}
        </select>
      </label>
    </div>
  );
}
