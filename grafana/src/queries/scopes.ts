// WHERE fragments that bind queries to dashboard variables. Regex literals with ^...$ anchors
// take single values, (a|b) lists and the `.*` All value alike.
import { COLLECTOR_JOB, TAG } from '@dockwatch/collector';
import { ident, literal } from './influxql.js';

/** Containers dashboard and container detail: $host and $container. */
export const CONTAINER_SCOPE = `${ident(TAG.engineHost)} =~ /^$host$/ AND ${ident(TAG.containerName)} =~ /^$container$/`;

/** Host only (counts over every container of the selected hosts). */
export const HOST_SCOPE = `${ident(TAG.engineHost)} =~ /^$host$/`;

/** KV service dashboard: $instance lists the scraped containers. */
export const KV_SCOPE = `${ident(TAG.containerName)} =~ /^$instance$/`;

/** Collector dashboard: the collector's own registry on the selected hosts. */
export const COLLECTOR_SCOPE = `${ident(TAG.job)} = ${literal(COLLECTOR_JOB)} AND ${ident(TAG.engineHost)} =~ /^$host$/`;

/** Alert queries see no dashboard variables: they cover every container. */
export const ALL_CONTAINERS = `${ident(TAG.containerName)} != ''`;

/** Host overview, engine measurements: $host selects engine_host values. */
export const ENGINE_SCOPE = `${ident(TAG.engineHost)} =~ /^$host$/`;

/** Host overview, host measurements (cpu, mem, system, disk): their `host` tag is the engine's name. */
export const HOST_TAG_SCOPE = `${ident(TAG.host)} =~ /^$host$/`;

/** Alert queries over the host measurements: every host. */
export const ALL_HOSTS = `${ident(TAG.host)} != ''`;
