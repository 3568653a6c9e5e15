// Every generated dashboard, by key.
import type { DashboardBuild } from '../build/dashboard.js';
import type { DashboardKey } from '../settings.js';
import { collectorDashboard } from './collector.js';
import { containerDetailDashboard } from './container-detail.js';
import { containersDashboard } from './containers.js';
import { hostDashboard } from './host.js';
import { kvstoreDashboard } from './kvstore.js';
import { swarmDashboard } from './swarm.js';

export function dashboardBuilds(): Record<DashboardKey, DashboardBuild> {
  return {
    containers: containersDashboard(),
    containerDetail: containerDetailDashboard(),
    kvstore: kvstoreDashboard(),
    collector: collectorDashboard(),
    host: hostDashboard(),
    swarm: swarmDashboard(),
  };
}
