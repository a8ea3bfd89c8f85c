import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { ApiError, type HttpApp } from '../platform/http.ts';
import { createBillPdfRenderer } from './bill-pdf.ts';
import { BillingError } from './billing-errors.ts';
import { type BillingProgress, runBilling } from './billing-job.ts';
import { closePeriodIn } from './billing-period.service.ts';
import { findRunById, listProblems, listRuns, regionsInScope } from './billing-run.repository.ts';
import { prepareRun, runCounts } from './billing-run.service.ts';
import { findBill, listBills } from './bills-query.service.ts';

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'период в формате ГГГГ-ММ');
const accountNumber = z.string().regex(/^\d{6,16}$/);

function asApiError(e: unknown): never {
  if (e instanceof BillingError) throw new ApiError(e.httpStatus, e.code, e.message, e.messageEn);
  throw e;
}

/** Runs started by this server: their progress and, if one failed, why (the run itself resumes on restart). */
const running = new Map<number, { progress?: BillingProgress; error?: string; startedAt: string }>();

export async function billingRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const db = deps.database.db;
  const pdf = createBillPdfRenderer();

  app.post(
    '/api/v1/billing/periods/close',
    {
      schema: {
        tags: ['billing'],
        summary: 'Close a billing period (§5) in a region, or in every region with houses',
        body: z.strictObject({ period, region: z.string().optional() }),
      },
    },
    async (request) => {
      const regionCodes = request.body.region ? [request.body.region] : undefined;
      const closed = await closePeriodIn(db, deps.clock, { period: request.body.period, regionCodes }).catch(
        asApiError,
      );
      return { closed };
    },
  );

  app.post(
    '/api/v1/billing/runs',
    {
      schema: {
        tags: ['billing'],
        summary: 'Start (or resume) the billing run of a period; 202 with the runs to poll',
        description:
          'Validates the period first (closed, not in the future, earlier drafts issued): a refusal is 4xx with a reason code and nothing is written. The run then goes on in the background in this server; GET /api/v1/billing/runs/{id} shows its progress. `repeat` recomputes the drafts (unchanged bills stay), `issue` issues them when complete.',
        body: z.strictObject({
          period,
          region: z.string().optional(),
          repeat: z.boolean().default(false),
          issue: z.boolean().default(false),
          skipProblems: z.boolean().default(false),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const regions = await regionsInScope(db, b.region ? [b.region] : undefined);
      // Validate every region before starting any (a refusal writes nothing).
      const runs = [];
      for (const regionCode of regions) {
        runs.push(await prepareRun(db, deps.clock, { regionCode, period: b.period }).catch(asApiError));
      }
      for (const run of runs) {
        const state: { progress?: BillingProgress; error?: string; startedAt: string } = {
          startedAt: deps.clock.now().toISOString(),
        };
        running.set(run.id, state);
        void runBilling(deps.database, deps.clock, {
          period: b.period,
          regionCodes: [run.regionCode],
          repeat: b.repeat,
          issue: b.issue,
          skipProblems: b.skipProblems,
          onProgress: (p) => {
            state.progress = p;
          },
        }).catch((e: unknown) => {
          state.error = e instanceof Error ? e.message : String(e);
        });
      }
      return reply.status(202).send({
        runs: runs.map((r) => ({
          id: r.id,
          region: r.regionCode,
          period: r.period,
          href: `/api/v1/billing/runs/${r.id}`,
        })),
      });
    },
  );

  app.get(
    '/api/v1/billing/runs',
    {
      schema: {
        tags: ['billing'],
        summary: 'Billing runs with their counts',
        querystring: z.strictObject({ period: period.optional() }),
      },
    },
    async (request) => {
      const runs = await listRuns(db, request.query.period);
      return {
        runs: await Promise.all(runs.map(async (r) => ({ ...r, counts: await runCounts(db, r.id) }))),
      };
    },
  );

  app.get(
    '/api/v1/billing/runs/:id',
    {
      schema: {
        tags: ['billing'],
        summary: 'Progress of a billing run: accounts done, rate and ETA, problems with reasons',
        params: z.strictObject({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request) => {
      const run = await findRunById(db, request.params.id);
      if (!run) throw new ApiError(404, 'RUN_NOT_FOUND', 'Расчёт не найден.', 'Billing run not found.');
      const counts = await runCounts(db, run.id);
      const here = running.get(run.id);
      const state =
        here?.error !== undefined
          ? 'failed'
          : counts.unitsDone < counts.units
            ? 'billing'
            : counts.drafts > 0
              ? 'drafts_ready'
              : 'issued';
      return {
        ...run,
        state,
        counts,
        percent: counts.accounts === 0 ? 100 : Math.floor((counts.accountsDone / counts.accounts) * 100),
        rate: here?.progress?.rate ?? null,
        etaSeconds: here?.progress?.etaSeconds ?? null,
        error: here?.error ?? null,
        problems: await listProblems(db, run.id, 200),
      };
    },
  );

  app.get(
    '/api/v1/bills',
    {
      schema: {
        tags: ['billing'],
        summary: "A period's current bills (keyset pages by `after`)",
        querystring: z.strictObject({
          period,
          region: z.string().optional(),
          account: accountNumber.optional(),
          status: z.enum(['draft', 'issued']).optional(),
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const bills = await listBills(db, {
        period: q.period,
        regionCode: q.region,
        accountNumber: q.account,
        status: q.status,
        afterId: q.after,
        limit: q.limit,
      });
      return { bills, next: bills.length === q.limit ? bills.at(-1)?.id : null };
    },
  );

  const billParams = z.strictObject({ number: accountNumber, period });
  const versionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
  const loadBill = async (number: string, p: string, version: number | undefined) => {
    const bill = await findBill(db, { accountNumber: number, period: p, ...(version ? { version } : {}) });
    if (!bill) {
      throw new ApiError(
        404,
        'BILL_NOT_FOUND',
        `Счёта по лицевому счёту ${number} за ${p} нет: период ещё не рассчитан или счёт не существует.`,
        `No bill for account ${number} and ${p}: the period is not billed yet or there is no such bill.`,
      );
    }
    return bill;
  };

  app.get(
    '/api/v1/accounts/:number/bills/:period',
    {
      schema: {
        tags: ['billing'],
        summary:
          "An account's bill for a period as JSON: every line with its rule, readings, tariff and periods",
        params: billParams,
        querystring: versionQuery,
      },
    },
    async (request) => loadBill(request.params.number, request.params.period, request.query.version),
  );

  app.get(
    '/api/v1/accounts/:number/bills/:period/pdf',
    {
      schema: {
        tags: ['billing'],
        summary: "An account's bill for a period as PDF (Russian; ?lang=en for English)",
        params: billParams,
        querystring: versionQuery.extend({ lang: z.enum(['ru', 'en']).default('ru') }),
      },
    },
    async (request, reply) => {
      const bill = await loadBill(request.params.number, request.params.period, request.query.version);
      const body = await pdf.render(bill.document, request.query.lang);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${bill.number}-v${bill.version}.pdf"`)
        .send(body);
    },
  );
}
