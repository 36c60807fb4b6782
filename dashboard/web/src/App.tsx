import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getJson, type Filters, type Pipelines } from './api';
import { useLive } from './useLive';
import { StatusBar } from './components/StatusBar';
import { FilterBar } from './components/FilterBar';
import { SentimentChart } from './components/SentimentChart';
import { VolumeBySource } from './components/VolumeBySource';
import { GeoMap } from './components/GeoMap';
import { WordCloud } from './components/WordCloud';
import { AlertFeed } from './components/AlertFeed';
import { PostsTable } from './components/PostsTable';

export function App() {
  const pipelines = useQuery({ queryKey: ['pipelines'], queryFn: () => getJson<Pipelines>('/api/pipelines') });
  const [filters, setFilters] = useState<Filters>({ window: '15m', source: '', geo: '' });
  const pipeline = pipelines.data?.default;
  const live = useLive(pipeline);

  if (pipelines.isError) return <p className="error">Cannot reach the dashboard API: {String(pipelines.error)}</p>;
  if (!pipeline) return <p className="loading">Loading…</p>;
  return (
    <div className="app">
      <header>
        <h1>Pulse <span className="pipeline">{pipeline}</span></h1>
        <StatusBar pipeline={pipeline} live={live} />
      </header>
      <FilterBar filters={filters} onChange={setFilters} />
      <main className="grid">
        <section className="panel wide"><h2>Sentiment over time</h2><SentimentChart pipeline={pipeline} filters={filters} /></section>
        <section className="panel alerts"><h2>Alerts</h2><AlertFeed pipeline={pipeline} /></section>
        <section className="panel"><h2>Volume by source</h2><VolumeBySource pipeline={pipeline} filters={filters} /></section>
        <section className="panel"><h2>Where (volume, coloured by sentiment)</h2><GeoMap pipeline={pipeline} filters={filters} /></section>
        <section className="panel"><h2>Top terms</h2><WordCloud pipeline={pipeline} filters={filters} /></section>
        <section className="panel full"><h2>Recent posts</h2><PostsTable pipeline={pipeline} filters={filters} /></section>
      </main>
    </div>
  );
}
