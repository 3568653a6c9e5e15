export { toLineProtocol } from './line-protocol.js';
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
