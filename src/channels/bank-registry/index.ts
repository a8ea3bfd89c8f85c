export { findRegistry, listRegistries, type RegistryRow } from './registry.repository.ts';
export { bankRegistryRoutes } from './registry.routes.ts';
export {
  bankCodeOf,
  importRegistry,
  REGISTRY_MAX_BYTES,
  type RegistryImport,
  RegistryRefused,
} from './registry-import.service.ts';
export { type RegistryReport, reportText, ruDate } from './registry-report.ts';
