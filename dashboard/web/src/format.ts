export const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
export const signed = (v: number, digits = 2) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
/** A change in percentage points, or a dash when there is no previous period to compare with. */
export const points = (v: number | undefined | null) => (v === undefined || v === null ? '—' : `${signed(v * 100, 1)} pp`);
