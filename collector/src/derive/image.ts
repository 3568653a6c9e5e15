/** An image reference split the way the Telegraf schema tags it. */
export interface ImageNameVersion {
  /** Registry and repository without tag or digest, e.g. "registry:5000/team/app". */
  name: string;
  /** The tag, or "unknown" when the reference has none. */
  version: string;
}

/** Splits "registry:5000/app:1.2@sha256:..." into name "registry:5000/app" and version "1.2". */
export function parseImageReference(reference: string): ImageNameVersion {
  const at = reference.indexOf('@');
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  // A colon before the last slash belongs to a registry port, not to a tag.
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/') && !withoutDigest.startsWith('sha256:')) {
    const version = withoutDigest.slice(colon + 1);
    return { name: withoutDigest.slice(0, colon), version: version === '' ? 'unknown' : version };
  }
  return { name: withoutDigest, version: 'unknown' };
}
