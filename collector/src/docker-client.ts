import Docker from 'dockerode';

/** A dockerode client for DOCKER_HOST (unix:///path, tcp://host:port, http(s)://host:port). */
export function createDockerClient(dockerHost: string): Docker {
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return new Docker({
    protocol,
    host: url.hostname,
    port: Number(url.port || (protocol === 'https' ? 2376 : 2375)),
  });
}
