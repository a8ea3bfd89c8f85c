export { type BillPdfRenderer, createBillPdfRenderer } from './bill-pdf.ts';
export { billingRoutes } from './billing.routes.ts';
export { BillingError } from './billing-errors.ts';
export { type BillingProgress, type RegionResult, runBilling } from './billing-job.ts';
export { type ClosePeriodResult, closePeriod, closePeriodIn } from './billing-period.service.ts';
export { findRunById, listProblems, listRuns, regionsWithHouses } from './billing-run.repository.ts';
export { issueRun, prepareRun, runCounts, workRun } from './billing-run.service.ts';
export { type BillView, billDocuments, billVersions, findBill, listBills } from './bills-query.service.ts';
export { billRecentPeriods } from './demo-billing.service.ts';
