import { interpolateLab, scaleLinear } from 'd3';

/**
 * Colour-blind-safe colours (Okabe–Ito): sentiment runs from vermillion (negative) through grey to blue (positive),
 * never red against green, so it reads with every common colour-vision deficiency; the label badges are dark enough
 * for white text (contrast ≥ 4.5:1).
 */
export const sentimentColor = scaleLinear<string>().domain([-1, 0, 1]).range(['#b8420f', '#8a8a8a', '#0072b2'])
  .interpolate(interpolateLab).clamp(true);

export const LABEL_COLORS = { NEGATIVE: '#b8420f', NEUTRAL: '#666666', POSITIVE: '#0a6aa1' } as const;

/** One colour per brand, in order (Okabe–Ito, distinguishable in the common colour-vision deficiencies). */
export const BRAND_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442'];
export const brandColor = (brands: string[], brand: string) => BRAND_COLORS[Math.max(0, brands.indexOf(brand)) % BRAND_COLORS.length];

export const MEAN_LINE = '#c98f00';
