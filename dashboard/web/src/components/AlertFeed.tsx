import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getJson, pipelinePath, postJson, type AlertView } from '../api';
import { time } from '../format';

const value = (v: number | undefined, metric: string) =>
  v === undefined || v === null ? '?' : metric === 'negativeRatio' ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : v.toFixed(2);

/**
 * Alerts newest first, pushed live over the WebSocket: what fired and why (each condition of its rule against the
 * threshold), the terms of its window, the posts it cites, and, when the LLM gateway is configured, its explanation
 * and a drafted reply for a person to review.
 */
export function AlertFeed({ pipeline, gateway, onTerm }: {
  pipeline: string; gateway: boolean; onTerm: (term: string, alert: AlertView) => void;
}) {
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
            <time dateTime={a.createdAt}>{new Date(a.createdAt).toLocaleTimeString()}</time>
          </div>
          <p>{a.explanation}</p>
          <details data-testid="alert-why">
            <summary>why it fired · window {time(a.windowStart)}–{time(a.windowEnd)}</summary>
            <table className="checks">
              <thead><tr><th>condition</th><th>value</th><th>threshold</th><th>met</th></tr></thead>
              <tbody>
                {(a.checks ?? []).map((c) => (
                  <tr key={c.metric} data-testid="alert-check" data-metric={c.metric} data-met={c.met}>
                    <td>{c.label}</td><td>{value(c.value, c.metric)}</td>
                    <td>{c.comparison} {value(c.threshold, c.metric)}</td><td>{c.met ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {a.topTerms?.length > 0 && (
              <p className="chips" aria-label="Top terms of the alert's window">
                {a.topTerms.map((t) => (
                  <button key={t.term} className="chip" data-testid="alert-term" onClick={() => onTerm(t.term, a)}>
                    {t.term} · {t.count}
                  </button>
                ))}
              </p>
            )}
            {a.evidence.length > 0 && (
              <ul className="evidence">{a.evidence.slice(0, 5).map((p) => (
                <li key={p.id}>“{p.text}” <span className="muted">({p.url
                  ? <a href={p.url} target="_blank" rel="noopener noreferrer">{p.source} ↗</a> : p.source})</span></li>
              ))}</ul>
            )}
            {gateway && <Assist pipeline={pipeline} alert={a} />}
          </details>
        </li>
      ))}
    </ol>
  );
}

interface Explanation { summary: string; drivers: string[]; source: string; fallbackReason?: string }
interface Draft { reply: string; tone: string }

/** The gateway's explanation of the alert and a drafted reply, fetched on request (each is an LLM call). */
function Assist({ pipeline, alert }: { pipeline: string; alert: AlertView }) {
  const [explanation, setExplanation] = useState<Explanation | string | null>(null);
  const [draft, setDraft] = useState<Draft | string | null>(null);
  const base = `${pipelinePath(pipeline)}/alerts/${encodeURIComponent(alert.id)}`;
  return (
    <div className="assist">
      <button data-testid="alert-explain" onClick={() => postJson<Explanation>(`${base}/explain`)
        .then(setExplanation, (e: Error) => setExplanation(e.message))}>Explain (LLM)</button>
      <button data-testid="alert-draft" onClick={() => postJson<Draft>(`${base}/draft`)
        .then(setDraft, (e: Error) => setDraft(e.message))}>Draft a response</button>
      {explanation && (typeof explanation === 'string' ? <p className="error">{explanation}</p> : (
        <div data-testid="alert-explanation"><p>{explanation.summary}</p>
          <ul>{explanation.drivers.map((d) => <li key={d}>{d}</li>)}</ul>
          <p className="muted">{explanation.source}{explanation.fallbackReason ? ` (${explanation.fallbackReason})` : ''}</p></div>))}
      {draft && (typeof draft === 'string' ? <p className="error">{draft}</p> : (
        <blockquote data-testid="alert-draft-text">{draft.reply} <span className="muted">({draft.tone}; review before posting)</span></blockquote>))}
    </div>
  );
}
