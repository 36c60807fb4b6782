import { useQuery } from '@tanstack/react-query';
import { getJson, pipelinePath, type AlertView } from '../api';

/** Alerts newest first, pushed live over the WebSocket: what fired, why, and the posts that show it. */
export function AlertFeed({ pipeline }: { pipeline: string }) {
  const alerts = useQuery({
    queryKey: ['alerts', pipeline],
    queryFn: () => getJson<AlertView[]>(`${pipelinePath(pipeline)}/alerts`, { limit: 20 }),
  });
  const list = alerts.data ?? [];
  return (
    <ol className="alert-feed" data-testid="alert-feed">
      {list.length === 0 && <li className="muted">No alerts. Crisis and spike alerts appear here the moment they fire.</li>}
      {list.map((a) => (
        <li key={a.id} className={`alert kind-${a.kind.toLowerCase()}`} data-testid="alert-item" data-alert-id={a.id}>
          <div className="alert-head">
            <strong>{a.kind}</strong>
            <time>{new Date(a.createdAt).toLocaleTimeString()}</time>
          </div>
          <p>{a.explanation}</p>
          {a.evidence.length > 0 && (
            <details>
              <summary>{a.evidence.length} evidence posts</summary>
              <ul>{a.evidence.slice(0, 5).map((p) => <li key={p.id}>“{p.text}” <span className="muted">({p.source})</span></li>)}</ul>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
