import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson, pipelinePath, type Filters, type Page, type Post, type SimilarPost } from '../api';
import { LABEL_COLORS } from '../colors';

const PAGE_SIZE = 15;

/** The newest scored posts, filtered by sentiment (here) and by source and country (the filter bar), paged. */
export function PostsTable({ pipeline, filters }: { pipeline: string; filters: Filters }) {
  const [sentiment, setSentiment] = useState('');
  const [page, setPage] = useState(0);
  const [similarTo, setSimilarTo] = useState<Post | null>(null);
  const posts = useQuery({
    queryKey: ['posts', pipeline, filters.source, filters.geo, sentiment, page],
    queryFn: () => getJson<Page<Post>>(`${pipelinePath(pipeline)}/posts`,
      { page, size: PAGE_SIZE, sentiment, source: filters.source, geo: filters.geo }),
    placeholderData: keepPreviousData,
  });
  const data = posts.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <div>
      <div className="table-tools">
        <label>Sentiment
          <select data-testid="filter-sentiment" value={sentiment} onChange={(e) => { setSentiment(e.target.value); setPage(0); }}>
            <option value="">all</option><option>NEGATIVE</option><option>NEUTRAL</option><option>POSITIVE</option>
          </select>
        </label>
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>‹ newer</button>
        <span className="muted">page {page + 1} of {pages} · {data?.total ?? 0} posts</span>
        <button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>older ›</button>
      </div>
      <table className="posts" data-testid="posts-table">
        <thead><tr><th>time</th><th>source</th><th>where</th><th>sentiment</th><th>post</th><th></th></tr></thead>
        <tbody>
          {(data?.items ?? []).map((p) => (
            <tr key={p.id} data-testid="post-row" data-label={p.label} data-source={p.source}>
              <td>{new Date(p.ingestedAt).toLocaleTimeString()}</td>
              <td>{p.source}</td>
              <td>{p.geo?.place ?? p.geo?.country ?? ''}</td>
              <td><span className="label" style={{ background: LABEL_COLORS[p.label] }}>{p.label.toLowerCase()}</span> {p.score.toFixed(2)}</td>
              <td className="text">{p.text}</td>
              <td><button className="link" onClick={() => setSimilarTo(p)}>like this</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {similarTo && <SimilarPosts pipeline={pipeline} post={similarTo} onClose={() => setSimilarTo(null)} />}
    </div>
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
