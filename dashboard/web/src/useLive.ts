import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { liveUrl, type AlertView } from './api';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Holds the WebSocket to the backend. An alert goes straight into the alerts cache (it must show at once); an
 * aggregate marks the charts stale, batched so a burst of windows refetches once. Reconnects with backoff.
 */
export function useLive(pipeline: string | undefined): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const pending = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!pipeline) return;
    let socket: WebSocket | undefined;
    let retry = 500;
    let stopped = false;
    let timer: number | undefined;

    const refreshCharts = () => {
      if (pending.current !== undefined) return;
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        for (const key of ['series', 'sources', 'terms', 'geo', 'posts', 'status', 'share', 'coverage']) {
          client.invalidateQueries({ queryKey: [key, pipeline] });
        }
      }, 250);
    };

    const connect = async () => {
      setState('connecting');
      let url: string;
      try {
        url = await liveUrl();
      } catch {
        setState('offline');
        if (!stopped) timer = window.setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
        return;
      }
      if (stopped) return;
      socket = new WebSocket(url);
      socket.onopen = () => { retry = 500; setState('live'); };
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data as string);
        if (message.pipeline && message.pipeline !== pipeline) return;
        if (message.type === 'alert') {
          const alert = message.data as AlertView;
          client.setQueryData<AlertView[]>(['alerts', pipeline], (old = []) =>
            [alert, ...old.filter((a) => a.id !== alert.id)]);
          // The evidence posts may land a moment after the alert: fetch the full list again shortly.
          window.setTimeout(() => client.invalidateQueries({ queryKey: ['alerts', pipeline] }), 1500);
        } else if (message.type === 'aggregate') {
          refreshCharts();
        }
      };
      socket.onclose = () => {
        setState('offline');
        if (!stopped) timer = window.setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
      };
    };
    void connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      // Closing a socket that is still connecting makes the browser log an error: close it once it opens.
      if (socket?.readyState === WebSocket.CONNECTING) socket.onopen = () => socket?.close();
      else socket?.close();
    };
  }, [pipeline, client]);

  return state;
}
