// The backend's REST shapes (dashboard/src/main/java/dev/pulse/dashboard/api/Views.java) and how to fetch them.

export type Sentiment = 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE';
export const SOURCES = ['X', 'REDDIT', 'RSS', 'REPLAY'] as const;

export interface Geo { lat?: number; lon?: number; country?: string; place?: string }
export interface Post {
  id: string; source: string; feed: string; text: string; lang?: string; createdAt: string; ingestedAt: string;
  url?: string; geo?: Geo; label: Sentiment; score: number; confidence: number; tier: string;
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
  evidencePostIds: string[]; evidence: Post[];
}
export interface Condition { type: string; status: string; reason?: string; message?: string }
export interface PipelineStatus {
  pipeline: string; mode: string; phase: string; conditions: Condition[]; liveClients: number; postsHeld: number;
}
export interface SimilarPost { similarity: number; post: Post }
export interface Pipelines { default: string; pipelines: string[]; mode: string }

export interface Filters { window: string; source: string; geo: string }

/** A bearer token, when the dashboard runs with auth: from ?token= once, then kept for the tab. */
const token = (() => {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) sessionStorage.setItem('pulse-token', fromUrl);
  return sessionStorage.getItem('pulse-token');
})();

export class ApiError extends Error {}

export async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ message: response.statusText }));
    throw new ApiError(body.message ?? `HTTP ${response.status}`);
  }
  return response.json() as Promise<T>;
}

export function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
}

export const pipelinePath = (pipeline: string) => `/api/pipelines/${encodeURIComponent(pipeline)}`;
