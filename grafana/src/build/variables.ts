// Template variable builders.
import type { QueryVariable } from '../model/dashboard.js';
import type { QuerySpec } from '../model/proof.js';
import { DATASOURCE } from '../settings.js';

export interface VariableInput {
  name: string;
  label: string;
  spec: QuerySpec;
  /** Several values at once, and an "All" entry. */
  multi: boolean;
  /** Inserted verbatim for "All"; unset means every option as (a|b|c). */
  allValue?: string;
}

export function queryVariable(input: VariableInput): QueryVariable {
  return {
    type: 'query',
    name: input.name,
    label: input.label,
    datasource: { type: DATASOURCE.type, uid: DATASOURCE.uid },
    query: input.spec.query,
    definition: input.spec.query,
    refresh: 2,
    multi: input.multi,
    includeAll: input.multi,
    allValue: input.allValue,
    current: input.multi ? { text: ['All'], value: ['$__all'] } : { text: '', value: '' },
    options: [],
    regex: '',
    sort: 1,
    hide: 0,
    skipUrlSync: false,
  };
}
