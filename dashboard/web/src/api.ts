// The backend's REST shapes (dashboard/src/main/java/dev/pulse/dashboard/api/Views.java) and how to fetch them.

export type Sentiment = 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE';
export const SOURCES = ['X', 'REDDIT', 'RSS', 'REPLAY'] as const;

export interface Geo { lat?: number; lon?: number; country?: string; place?: string }
export interface Post {
  id: string; source: string; feed: string; text: string; lang?: string; createdAt: string; ingestedAt: string;
  url?: string; geo?: Geo; label: Sentiment; score: number; confidence: number; tier: string;
  escalated: boolean; rationale?: string; brands: string[];
}
export interface Page<T> { page: number; size: number; total: number; items: T[] }
export interface SeriesPoint {
  windowStart: string; windowEnd: string; count: number; meanScore: number; negative: number; neutral: number;
  positive: number;
}
export interface SourceVolume { source: string; count: number; meanScore: number; negative: number; neutral: number; positive: number }
export interface GeoCell { lat: number; lon: number; count: number; meanScore: number; place?: string }
export interface TermWeight { term: string; count: number; polarity: number }
export interface AlertView {
  id: string; kind: string; pipeline: string; windowStart: string; windowEnd: string;
  metrics: Record<string, number>; threshold: number; createdAt: string; explanation: string;
  evidencePostIds: string[]; evidence: Post[]; checks: Check[]; topTerms: { term: string; count: number }[];
}
export interface Check { metric: string; label: string; value?: number; threshold: number; comparison: string; met: boolean }
export interface Coverage {
  now: string; lookback: string; windowLimit: string; windows: string[]; bucket: string; aggregatesFrom?: string;
  brandsFrom?: string; postsFrom?: string; postsHeld: number; maxPosts: number; brands: string[]; gateway: boolean;
}
export interface Period { from: string; to: string; count: number; share: number; net: number }
export interface BrandShare {
  brand: string; count: number; share: number; net: number; meanScore: number; negative: number; neutral: number;
  positive: number; previous?: Period; shareChange?: number; netChange?: number;
}
export interface ShareOfVoice {
  bucket: string; from: string; to: string; brands: string[];
  points: { start: string; end: string; counts: Record<string, number> }[]; totals: BrandShare[];
}
export interface Condition { type: string; status: string; reason?: string; message?: string }
/** Whether data still comes in from Kafka: STARTING, UP, OUT_OF_SERVICE (Kafka unreachable), DOWN (reader died). */
export interface FeedHealth { state: 'STARTING' | 'UP' | 'OUT_OF_SERVICE' | 'DOWN'; message: string }
export interface PipelineStatus {
  pipeline: string; mode: string; phase: string; conditions: Condition[]; liveClients: number; postsHeld: number;
  feed?: FeedHealth;
}
export interface SimilarPost { similarity: number; post: Post }
export interface Pipelines { default: string; pipelines: string[]; mode: string }

/** The view's filters: every one lives in the page's URL (see urlState.ts). */
export interface Filters { window: string; source: string; geo: string; brand: string }

/** What the posts table is narrowed to by a click on a chart, the map or the cloud (also in the URL). */
export interface Drill { sentiment: string; from: string; to: string; term: string; cell: string; label: string }
export const NO_DRILL: Drill = { sentiment: '', from: '', to: '', term: '', cell: '', label: '' };

/**
 * A bearer token, when the dashboard runs with auth: from the page's fragment once (#token=..., which browsers never
 * send to a server, so it stays out of access logs), then kept for the tab and removed from the address bar.
 */
const token = (() => {
  const fromFragment = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromFragment) {
    sessionStorage.setItem('pulse-token', fromFragment);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  }
  return sessionStorage.getItem('pulse-token');
})();

export class ApiError extends Error {}

export function authHeaders(): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** A URL with the given query parameters, empty ones left out. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
  return query.toString() ? `${path}?${query}` : path;
}

export async function postJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: authHeaders() });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ message: response.statusText }));
    throw new ApiError(body.message ?? `HTTP ${response.status}`);
  }
  return response.json() as Promise<T>;
}

export async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const response = await fetch(withQuery(path, params), { headers: authHeaders() });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ message: response.statusText }));
    throw new ApiError(body.message ?? `HTTP ${response.status}`);
  }
  return response.json() as Promise<T>;
}

/**
 * The live channel's URL. With a token, a fresh single-use ticket (valid for seconds) goes in the query instead of
 * the token: browsers cannot put a header on a WebSocket, and a URL is what proxies and access logs keep.
 */
export async function liveUrl(): Promise<string> {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const base = `${scheme}://${window.location.host}/ws`;
  if (!token) return base;
  const { ticket } = await postJson<{ ticket: string }>('/api/live-ticket');
  return `${base}?ticket=${encodeURIComponent(ticket)}`;
}

export const pipelinePath = (pipeline: string) => `/api/pipelines/${encodeURIComponent(pipeline)}`;
