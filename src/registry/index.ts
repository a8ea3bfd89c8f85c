export {
  insertParameter,
  invalidateParameterCache,
  listParameters,
  loadParameterValues,
  loadRuleParameters,
  type ParameterRow,
} from './parameters.repository.ts';
