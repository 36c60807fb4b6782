import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { authHeaders, getJson, pipelinePath, withQuery, type Drill, type Filters, type Page, type Post, type SimilarPost } from '../api';
import { LABEL_COLORS } from '../colors';
import { time } from '../format';

const PAGE_SIZE = 15;

/** The query parameters of the posts in view: the filter bar's and the drill-down's. */
export function postParams(filters: Filters, drill: Drill): Record<string, string> {
  return { sentiment: drill.sentiment, source: filters.source, geo: filters.geo, brand: filters.brand,
    from: drill.from, to: drill.to, term: drill.term, cell: drill.cell };
}

/**
 * The held posts, newest first, paged: narrowed by the filter bar and by what was clicked (a window, a source, a map
 * cell, a term). Each post links to its source, says which tier scored it, and shows the LLM's rationale when it
 * was escalated; "like this" lists the nearest posts by embedding. CSV and JSON export the same posts.
 */
export function PostsTable({ pipeline, filters, drill, page, onPage, onDrill, onClearDrill }: {
  pipeline: string; filters: Filters; drill: Drill; page: number; onPage: (page: number) => void;
  onDrill: (patch: Partial<Drill>) => void; onClearDrill: () => void;
}) {
  const [similarTo, setSimilarTo] = useState<Post | null>(null);
  const params = postParams(filters, drill);
  const posts = useQuery({
    queryKey: ['posts', pipeline, params, page],
    queryFn: () => getJson<Page<Post>>(`${pipelinePath(pipeline)}/posts`, { ...params, page, size: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const data = posts.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const drilled = drill.label !== '';
  return (
    <div>
      <div className="table-tools">
        <label>Sentiment
          <select data-testid="filter-sentiment" value={drill.sentiment}
            onChange={(e) => onDrill({ sentiment: e.target.value })}>
            <option value="">all</option><option>NEGATIVE</option><option>NEUTRAL</option><option>POSITIVE</option>
          </select>
        </label>
        {drilled && (
          <span className="drill" data-testid="drill">
            showing <strong>{drill.label}</strong>
            <button data-testid="drill-clear" onClick={onClearDrill} aria-label="Clear the drill-down">✕ clear</button>
          </span>
        )}
        <button disabled={page === 0} onClick={() => onPage(page - 1)}>‹ newer</button>
        <span className="muted" data-testid="posts-total" data-total={data?.total ?? 0}>page {page + 1} of {pages} · {data?.total ?? 0} posts</span>
        <button disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>older ›</button>
        <span className="export">Export
          <ExportLink pipeline={pipeline} what="posts" params={params} format="csv" />
          <ExportLink pipeline={pipeline} what="posts" params={params} format="json" />
        </span>
      </div>
      <table className="posts" data-testid="posts-table">
        <thead><tr><th>time</th><th>source</th><th>brand</th><th>where</th><th>sentiment</th><th>scored by</th><th>post</th><th><span className="sr-only">actions</span></th></tr></thead>
        <tbody>
          {(data?.items ?? []).map((p) => (
            <tr key={p.id} data-testid="post-row" data-id={p.id} data-label={p.label} data-source={p.source}
              data-brands={p.brands.join('|')} data-ingested={p.ingestedAt}>
              <td>{time(p.ingestedAt)}</td>
              <td>{p.url ? <a href={p.url} target="_blank" rel="noopener noreferrer" data-testid="post-link"
                aria-label={`open the post on ${p.source}`}>{p.source} ↗</a> : p.source}</td>
              <td>{p.brands.join(', ')}</td>
              <td>{p.geo?.place ?? p.geo?.country ?? ''}</td>
              <td><span className="label" style={{ background: LABEL_COLORS[p.label] }}>{p.label.toLowerCase()}</span> {p.score.toFixed(2)}</td>
              <td><span className={`tier tier-${p.tier.toLowerCase()}`} data-testid="post-tier"
                title={`confidence ${p.confidence.toFixed(2)}`}>{p.tier}</span></td>
              <td className="text">{p.text}
                {p.escalated && p.rationale && (
                  <details className="rationale"><summary>why the LLM said {p.label.toLowerCase()}</summary>{p.rationale}</details>
                )}
              </td>
              <td><button className="link" onClick={() => setSimilarTo(p)}>like this</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {similarTo && <SimilarPosts pipeline={pipeline} post={similarTo} onClose={() => setSimilarTo(null)} />}
    </div>
  );
}

/**
 * A download through the REST API (which streams it page by page). With a bearer token the file is fetched with the
 * header (a plain link cannot send it) and handed to the browser as a blob.
 */
export function ExportLink({ pipeline, what, params, format }: {
  pipeline: string; what: 'posts' | 'series'; params: Record<string, string>; format: 'csv' | 'json';
}) {
  const href = withQuery(`${pipelinePath(pipeline)}/${what}/export`, { ...params, format });
  const headers = authHeaders();
  return (
    <a className="button" href={href} download data-testid={`export-${what}-${format}`}
      onClick={headers.Authorization ? async (e) => {
        e.preventDefault();
        const blob = await (await fetch(href, { headers })).blob();
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = `pulse-${pipeline}-${what}.${format}`;
        a.click();
        URL.revokeObjectURL(a.href);
      } : undefined}>{format.toUpperCase()}</a>
  );
}

/** "Posts like this": nearest neighbours of the post's embedding in the vector store. */
function SimilarPosts({ pipeline, post, onClose }: { pipeline: string; post: Post; onClose: () => void }) {
  const similar = useQuery({
    queryKey: ['similar', pipeline, post.id],
    queryFn: () => getJson<SimilarPost[]>(`${pipelinePath(pipeline)}/posts/${encodeURIComponent(post.id)}/similar`, { k: 5 }),
    refetchInterval: false,
  });
  return (
    <div className="similar" data-testid="similar-posts">
      <div className="alert-head"><strong>Posts like “{post.text.slice(0, 80)}”</strong><button onClick={onClose}>close</button></div>
      {similar.isError && <p className="muted">{similar.error.message}</p>}
      <ul>{(similar.data ?? []).map((s) => (
        <li key={s.post.id}><span className="muted">{s.similarity.toFixed(2)}</span> {s.post.text}</li>
      ))}</ul>
    </div>
  );
}
