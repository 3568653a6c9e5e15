// WHERE fragments that bind queries to dashboard variables. Regex literals with ^...$ anchors
// take single values, (a|b) lists and the `.*` All value alike.

/** Containers dashboard and container detail: $host and $container. */
export const CONTAINER_SCOPE = '"engine_host" =~ /^$host$/ AND "container_name" =~ /^$container$/';

/** Host only (counts over every container of the selected hosts). */
export const HOST_SCOPE = '"engine_host" =~ /^$host$/';

/** KV service dashboard: $instance lists the scraped containers. */
export const KV_SCOPE = '"container_name" =~ /^$instance$/';

/** Collector dashboard: the collector's own registry on the selected hosts. */
export const COLLECTOR_SCOPE = `"job" = 'collector' AND "engine_host" =~ /^$host$/`;

/** Alert queries see no dashboard variables: they cover every container. */
export const ALL_CONTAINERS = '"container_name" != \'\'';
