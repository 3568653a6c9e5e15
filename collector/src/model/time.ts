/** Now, in ns since the Unix epoch (millisecond resolution): the time of points that are not samples. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
