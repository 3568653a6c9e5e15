export { LineProtocolWriter, toLineProtocol } from './line-protocol.js';
export { parseLineProtocol } from './line-protocol-parser.js';
export {
  CONTAINER_TAGS,
  type FieldKind,
  type FieldSpec,
  MEASUREMENTS,
  MEMORY_STAT_FIELDS,
  type MeasurementSpec,
  measurementSpec,
  type TagSpec,
  type ValueType,
} from './metrics.js';
export { COLLECTOR_JOB, MEASUREMENT, type MeasurementName, TAG, TOTAL } from './names.js';
