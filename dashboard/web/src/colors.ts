import { interpolateRdYlGn, scaleDiverging } from 'd3';

/** Sentiment -1…1 to red…yellow…green, the one colour scale of every view. */
export const sentimentColor = scaleDiverging<string>(interpolateRdYlGn).domain([-1, 0, 1]).clamp(true);

export const LABEL_COLORS = { NEGATIVE: '#d73027', NEUTRAL: '#a0a0a0', POSITIVE: '#1a9850' } as const;
