export { findRegistry, listRegistries } from './registry.repository.ts';
export { bankRegistryRoutes } from './registry.routes.ts';
export { importRegistry, RegistryRefused } from './registry-import.service.ts';
export { type RegistryReport, reportText } from './registry-report.ts';
