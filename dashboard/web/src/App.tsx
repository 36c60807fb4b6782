import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getJson, pipelinePath, type Coverage, type Drill, type Filters, type Pipelines, type SeriesPoint } from './api';
import { useLive } from './useLive';
import { useUrlState } from './urlState';
import { time } from './format';
import { StatusBar } from './components/StatusBar';
import { FilterBar } from './components/FilterBar';
import { SentimentChart } from './components/SentimentChart';
import { VolumeBySource } from './components/VolumeBySource';
import { GeoMap } from './components/GeoMap';
import { WordCloud } from './components/WordCloud';
import { AlertFeed } from './components/AlertFeed';
import { ExportLink, PostsTable } from './components/PostsTable';
import { ShareOfVoice } from './components/ShareOfVoice';
import { CompareView } from './components/CompareView';

type Theme = 'dark' | 'light';

export function App() {
  const pipelines = useQuery({ queryKey: ['pipelines'], queryFn: () => getJson<Pipelines>('/api/pipelines') });
  const [url, setUrl] = useUrlState({ window: '15m' });
  const pipeline = url.pipeline || pipelines.data?.default;
  const live = useLive(pipeline);
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('pulse-theme') as Theme)
    ?? (window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark'));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('pulse-theme', theme);
  }, [theme]);
  const coverage = useQuery({
    queryKey: ['coverage', pipeline],
    queryFn: () => getJson<Coverage>(`${pipelinePath(pipeline!)}/coverage`),
    enabled: !!pipeline,
  });
  // A window the backend cannot fill (a bookmark from a dashboard with a longer look-back) falls back to one it can.
  useEffect(() => {
    const offered = coverage.data?.windows;
    if (offered && offered.length > 0 && !offered.includes(url.window)) {
      setUrl({ window: offered.includes('15m') ? '15m' : offered[offered.length - 1] });
    }
  }, [coverage.data, url.window, setUrl]);

  if (pipelines.isError) return <p className="error">Cannot reach the dashboard API: {String(pipelines.error)}</p>;
  if (!pipeline) return <p className="loading">Loading…</p>;

  const brands = coverage.data?.brands ?? [];
  const filters: Filters = { window: url.window, source: url.source, geo: url.geo, brand: url.brand };
  const compare = url.compare ? url.compare.split(',').filter((b) => brands.includes(b)) : [];
  const drill: Drill = { sentiment: url.sentiment, from: url.from, to: url.to, term: url.term, cell: url.cell, label: url.drill };
  const page = Number(url.page) || 0;
  const setFilters = (f: Partial<Filters>) => setUrl({ ...f, page: '' });
  const drillTo = (patch: Partial<Drill>) => {
    setUrl({ sentiment: '', from: '', to: '', term: '', cell: '', ...patch, drill: patch.label ?? url.drill, page: '' });
    window.setTimeout(() => document.getElementById('posts-heading')?.focus(), 0);
  };
  const sinceWindow = () => {
    const m = /^(\d+)(s|m|h|d)$/.exec(filters.window);
    const secs = m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'] : 900;
    return new Date(Date.now() - secs * 1000).toISOString();
  };
  const drillWindow = (p: SeriesPoint, sentiment?: string, brand?: string) => {
    if (brand && brand !== url.brand) setUrl({ brand });
    drillTo({ from: p.windowStart, to: p.windowEnd, sentiment: sentiment ?? '',
      label: `${brand ? `${brand}, ` : ''}window ${time(p.windowStart)}–${time(p.windowEnd)}${sentiment ? `, ${sentiment.toLowerCase()}` : ''}` });
  };
  const toggleCompare = (b: string) => {
    const next = compare.includes(b) ? compare.filter((x) => x !== b) : [...compare, b].slice(-3);
    setUrl({ compare: next.join(',') });
  };

  return (
    <div className="app">
      <a className="skip" href="#posts-heading">Skip to the posts</a>
      <header>
        <h1>Pulse</h1>
        <label className="picker">Pipeline
          <select data-testid="pick-pipeline" value={pipeline}
            onChange={(e) => setUrl({ pipeline: e.target.value, brand: '', compare: '' })}>
            {(pipelines.data?.pipelines ?? [pipeline]).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="picker">Brand
          <select data-testid="pick-brand" value={url.brand} onChange={(e) => setFilters({ brand: e.target.value })}
            disabled={brands.length === 0}>
            <option value="">all brands</option>
            {brands.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        {brands.length > 1 && (
          <fieldset className="compare-pick" data-testid="compare-pick">
            <legend>Compare</legend>
            {brands.map((b) => (
              <label key={b}><input type="checkbox" checked={compare.includes(b)} onChange={() => toggleCompare(b)}
                data-testid="compare-brand" value={b} />{b}</label>
            ))}
          </fieldset>
        )}
        <button className="theme" data-testid="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-label={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? '☀ light' : '☾ dark'}</button>
        <StatusBar pipeline={pipeline} live={live} />
      </header>
      <FilterBar filters={filters} coverage={coverage.data} onChange={setFilters} />
      <main className="grid">
        {compare.length >= 2 && (
          <section className="panel full" aria-labelledby="compare-heading">
            <h2 id="compare-heading">Brands side by side</h2>
            <CompareView pipeline={pipeline} filters={filters} brands={compare} allBrands={brands}
              onDrill={(b, p, s) => drillWindow(p, s, b)} />
          </section>
        )}
        <section className="panel wide" aria-labelledby="sentiment-heading">
          <h2 id="sentiment-heading">Sentiment over time{url.brand ? ` · ${url.brand}` : ''}
            <span className="export">Export <ExportLink pipeline={pipeline} what="series" format="csv"
              params={{ window: filters.window, source: filters.source, geo: filters.geo, brand: filters.brand }} /></span></h2>
          <SentimentChart pipeline={pipeline} filters={filters} onDrill={(p, s) => drillWindow(p, s)} />
        </section>
        <section className="panel alerts" aria-labelledby="alerts-heading" tabIndex={0}>
          <h2 id="alerts-heading">Alerts</h2>
          <AlertFeed pipeline={pipeline} gateway={coverage.data?.gateway ?? false}
            onTerm={(term, a) => drillTo({ term, from: a.windowStart, to: a.windowEnd,
              label: `“${term}” in the alert's window ${time(a.windowStart)}–${time(a.windowEnd)}` })} />
        </section>
        {brands.length > 0 && (
          <section className="panel full" aria-labelledby="sov-heading">
            <h2 id="sov-heading">Share of voice</h2>
            <ShareOfVoice pipeline={pipeline} filters={filters} onBrand={(brand) => setFilters({ brand })}
              onDrill={(from, to) => {
                setUrl({ brand: '' });
                drillTo({ from, to, label: `all brands, ${time(from)}–${time(to)}` });
              }} />
          </section>
        )}
        <section className="panel" aria-labelledby="sources-heading">
          <h2 id="sources-heading">Volume by source</h2>
          <VolumeBySource pipeline={pipeline} filters={filters} onPick={(source) => {
            setFilters({ source });
            drillTo({ from: sinceWindow(), label: `${source}, last ${filters.window}` });
          }} />
        </section>
        <section className="panel" aria-labelledby="map-heading">
          <h2 id="map-heading">Where (volume, coloured by sentiment)</h2>
          <GeoMap pipeline={pipeline} filters={filters} onPick={(c) => drillTo({ cell: `${c.lat},${c.lon}`, from: sinceWindow(),
            label: `${c.place ?? 'cell'} (${c.lat},${c.lon}), last ${filters.window}` })} />
        </section>
        <section className="panel" aria-labelledby="terms-heading">
          <h2 id="terms-heading">Top terms</h2>
          <WordCloud pipeline={pipeline} filters={filters} onPick={(term) => drillTo({ term, from: sinceWindow(),
            label: `“${term}”, last ${filters.window}` })} />
        </section>
        <section className="panel full" aria-labelledby="posts-heading" id="posts" tabIndex={0}>
          <h2 id="posts-heading" tabIndex={-1}>Posts</h2>
          <PostsTable pipeline={pipeline} filters={filters} drill={drill} page={page}
            onPage={(p) => setUrl({ page: p ? String(p) : '' })}
            onDrill={(patch) => setUrl({ ...patch, page: '' })}
            onClearDrill={() => setUrl({ sentiment: '', from: '', to: '', term: '', cell: '', drill: '', page: '' })} />
        </section>
      </main>
    </div>
  );
}
