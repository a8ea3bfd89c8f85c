export { intakeRoutes, statusOf } from './intake.routes.ts';
export { type ReadingSubmission, readingSubmissionSchema } from './intake.schemas.ts';
export { type IntakeDeps, IntakeInputError, submitReading } from './intake.service.ts';
export { outcomeMessage } from './intake-messages.ts';
export type { IntakeOutcome, IntakeResult, IntakeZoneValue } from './intake-result.ts';
export { listReadingsOf, type ReadingView } from './readings-query.service.ts';
