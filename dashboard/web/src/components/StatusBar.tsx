import { useQuery } from '@tanstack/react-query';
import { getJson, pipelinePath, type PipelineStatus } from '../api';
import type { LiveState } from '../useLive';

const FEED_LABELS = {
  STARTING: 'connecting to Kafka', UP: 'data flowing', OUT_OF_SERVICE: 'Kafka unreachable: data stale',
  DOWN: 'data feed stopped',
} as const;

/** The pipeline's phase and conditions (from its custom resource in a cluster), and whether live updates flow. */
export function StatusBar({ pipeline, live }: { pipeline: string; live: LiveState }) {
  const status = useQuery({
    queryKey: ['status', pipeline],
    queryFn: () => getJson<PipelineStatus>(`${pipelinePath(pipeline)}/status`),
    // The feed badge must turn red without a live message (none comes when Kafka is gone).
    refetchInterval: 15_000,
  });
  const s = status.data;
  return (
    <div className="status" data-testid="pipeline-status">
      <span className={`badge live-${live}`} data-testid="live-state">{live}</span>
      {s?.feed && s.feed.state !== 'UP' && (
        <span className={`badge feed-${s.feed.state.toLowerCase()}`} data-testid="feed-state" title={s.feed.message}>
          {FEED_LABELS[s.feed.state]}
        </span>
      )}
      {s && (
        <>
          <span className={`badge phase-${s.phase.toLowerCase()}`}>{s.phase}</span>
          <span className="muted">{s.mode} · {s.postsHeld} posts held · {s.liveClients} viewers</span>
          {s.conditions.map((c) => (
            <span key={c.type} className={`condition cond-${c.status.toLowerCase()}`} title={c.message}>
              {c.type}: {c.status}{c.reason ? ` (${c.reason})` : ''}
            </span>
          ))}
        </>
      )}
    </div>
  );
}
