// Access to the services the global setup provides. Suites call these in `beforeAll`;
// outside CI a missing service skips the suite with the reason, in CI the global setup
// has already failed the run.
import Docker from 'dockerode';
import { inject } from 'vitest';

export interface Services {
  docker: Docker;
  dockerSocket: string;
  influxUrl: string;
}

/** The services, or null with the reason printed, when running outside CI without them. */
export function services(): Services | null {
  const dockerSocket = inject('dockerSocket');
  const influxUrl = inject('influxUrl');
  if (dockerSocket === null || influxUrl === null) {
    console.warn(`integration services missing, suite skipped:\n- ${inject('missingServices').join('\n- ')}`);
    return null;
  }
  return { docker: new Docker({ socketPath: dockerSocket }), dockerSocket, influxUrl };
}

/** True when every integration service is available; use with describe.runIf. */
export function haveServices(): boolean {
  return inject('dockerSocket') !== null && inject('influxUrl') !== null;
}
