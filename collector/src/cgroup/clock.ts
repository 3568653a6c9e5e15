/**
 * Now in ns since the Unix epoch, from the monotonic-backed performance clock (microsecond
 * resolution): the time of the fast path's samples, as the Engine stamps its `read`.
 */
export function clockNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.min(999_999, Math.round((ms - whole) * 1e6)));
}

/** Now as RFC 3339 with nanosecond digits (microsecond resolution), like the Engine's `read`. */
export function rfc3339Now(): string {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  const subMsNs = Math.min(999_999, Math.round((ms - whole) * 1e6));
  const iso = new Date(whole).toISOString(); // 2026-11-21T13:43:14.106Z
  return `${iso.slice(0, 23)}${String(subMsNs).padStart(6, '0')}Z`;
}
