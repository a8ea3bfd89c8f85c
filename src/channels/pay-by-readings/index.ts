export { payByReadingsRoutes } from './pay-by-readings.routes.ts';
export {
  type PayByReadingsAnswer,
  type PayByReadingsDeps,
  type PayByReadingsRequest,
  payByReadings,
} from './pay-by-readings.service.ts';
