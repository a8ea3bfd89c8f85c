export { type AccountCard, accountCard } from './account.service.ts';
export { showMeter } from './meter.service.ts';
export type { MeterView } from './meter-view.ts';
export {
  insertParameter,
  invalidateParameterCache,
  listParameters,
  loadParameterHistory,
  loadParameterValues,
  loadRuleParameters,
  PARAMETER_CACHE_MS,
  type ParameterRow,
  parameterGeneration,
} from './parameters.repository.ts';
export { findRegion, listPrincipals } from './party.repository.ts';
export { registryRoutes } from './registry.routes.ts';
export {
  exportCsv,
  exportRegistry,
  exportRegistryText,
  unknownHouseCodes,
} from './registry-export.service.ts';
export { importRegistry, importRegistryText } from './registry-import.service.ts';
export { registryIoRoutes } from './registry-io.routes.ts';
export { commonNormsInForce, normsInForce } from './tariff.repository.ts';
