import type Docker from 'dockerode';

export const SCRAPE_LABEL = 'prometheus.io/scrape';
export const PORT_LABEL = 'prometheus.io/port';
export const PATH_LABEL = 'prometheus.io/path';
export const SCHEME_LABEL = 'prometheus.io/scheme';

/**
 * The URL to scrape for a container labelled `prometheus.io/scrape=true`, or a reason why
 * there is none. The address is the container's own IP on its first network (host-network
 * containers: 127.0.0.1); the port is `prometheus.io/port`, else its only exposed TCP port.
 */
export function scrapeTarget(
  inspect: Docker.ContainerInspectInfo,
): { url: string } | { skip: string } | undefined {
  const labels = inspect.Config.Labels ?? {};
  if (labels[SCRAPE_LABEL] !== 'true') return undefined;
  let port = labels[PORT_LABEL];
  if (!port) {
    const exposed = Object.keys(inspect.Config.ExposedPorts ?? {}).filter((p) => p.endsWith('/tcp'));
    if (exposed.length !== 1)
      return { skip: `set ${PORT_LABEL}: the container exposes ${exposed.length} TCP ports` };
    port = exposed[0]?.split('/')[0];
  }
  if (!port || !/^\d{1,5}$/.test(port)) return { skip: `${PORT_LABEL}="${port ?? ''}" is not a port number` };
  let host: string | undefined;
  if (inspect.HostConfig.NetworkMode === 'host') {
    host = '127.0.0.1';
  } else {
    host = Object.values(inspect.NetworkSettings.Networks ?? {})
      .map((network) => network.IPAddress)
      .find((ip) => ip);
  }
  if (!host) return { skip: 'the container has no IP address' };
  const path = labels[PATH_LABEL] || '/metrics';
  const scheme = labels[SCHEME_LABEL] === 'https' ? 'https' : 'http';
  return { url: `${scheme}://${host}:${port}${path.startsWith('/') ? path : `/${path}`}` };
}
