import type { Command } from 'commander';
import type { z } from 'zod';
import { ApiError } from '../../platform/http.ts';
import { accountCard, searchAccountHits } from '../../registry/account.service.ts';
import { listHouseViews } from '../../registry/house.service.ts';
import { meterPatchSchema, meterReplacementSchema } from '../../registry/meter.schemas.ts';
import { patchMeter, showMeter } from '../../registry/meter.service.ts';
import { replaceMeter } from '../../registry/meter-replacement.service.ts';
import {
  accountParams,
  accountSearchQuerySchema,
  describeIssues,
  houseListQuerySchema,
  meterParams,
} from '../../registry/registry.schemas.ts';
import type { RegistryDeps } from '../../registry/registry-db.ts';
import { inForceQuerySchema, tariffListQuerySchema } from '../../registry/tariff.schemas.ts';
import { listCommonNorms, listNorms, listTariffs } from '../../registry/tariff.service.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';
import {
  accountCardLines,
  accountHitLines,
  houseLines,
  meterLines,
  normLines,
  replacementLines,
  tariffLines,
} from './registry-print.ts';

/**
 * `abonent accounts|houses|meters|tariffs|norms …`: the registry use cases of the HTTP API (same schemas,
 * same services). Human output in Russian, `--json` prints exactly what the API answers. Bad input or an
 * unknown key exits 2 with the reason code; nothing is written.
 */
export function registerRegistryCommands(program: Command, ctx: CliContext): void {
  /** Validates with the edge schema and runs a use case; refusals become exit code 2. */
  async function run<S extends z.ZodType, T>(
    schema: S,
    raw: unknown,
    work: (deps: RegistryDeps, input: z.output<S>) => Promise<T>,
  ): Promise<T> {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new CliInputError('VALIDATION_FAILED', describeIssues(parsed.error));
    const app = await ctx.app();
    try {
      return await work({ db: app.database.db, clock: app.clock }, parsed.data);
    } catch (e) {
      if (e instanceof ApiError) throw new CliInputError(e.code, `${e.message} / ${e.messageEn}`, e.details);
      throw e;
    }
  }
  const print = (json: boolean | undefined, data: unknown, lines: () => string[]) => {
    if (json) ctx.out(JSON.stringify(data, null, 2));
    else for (const line of lines()) ctx.out(line);
  };

  const accounts = program.command('accounts').description('Accounts (domain.md §3): card and search');
  accounts
    .command('show')
    .argument('<number>', 'account number')
    .description('The account card: payer, address, principal, phones, meters, last readings')
    .option('--json', 'print the card as the API answers it')
    .action(async (number: string, o: { json?: boolean }) => {
      const card = await run(accountParams, { number }, (d, p) => accountCard(d, p.number));
      print(o.json, card, () => accountCardLines(card));
    });
  accounts
    .command('search')
    .argument('<q>', 'account number prefix, phone, meter serial, payer name or address words')
    .description('Find accounts (at most 50)')
    .option('--limit <n>', 'how many, 1–50', '50')
    .option('--json', 'print JSON')
    .action(async (q: string, o: { json?: boolean; limit: string }) => {
      const hits = await run(accountSearchQuerySchema, { q, limit: o.limit }, searchAccountHits);
      print(o.json, { q, accounts: hits }, () => accountHitLines(hits));
    });

  const houses = program.command('houses').description('Houses (domain.md §3)');
  houses
    .command('list')
    .description('Houses in code order')
    .option('--region <code>', 'only this region')
    .option('--management-company <code>', 'only houses of this management company')
    .option('--q <text>', 'address or code contains this text')
    .option('--after <code>', 'start after this house code (paging)')
    .option('--limit <n>', 'how many, 1–1000', '100')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const list = await run(
        houseListQuerySchema,
        { region: o.region, managementCompany: o.managementCompany, q: o.q, after: o.after, limit: o.limit },
        listHouseViews,
      );
      print(o.json === true, { houses: list }, () => houseLines(list));
    });

  const meters = program.command('meters').description('Meters (domain.md §3): show, mark failed, replace');
  meters
    .command('show')
    .argument('<serial>', 'meter serial')
    .description('A meter with zone names, validity today and the last accepted reading')
    .option('--json', 'print JSON')
    .action(async (serial: string, o: { json?: boolean }) => {
      const m = await run(meterParams, { serial }, (d, p) => showMeter(d, p.serial));
      print(o.json, m, () => meterLines(m).map((l) => l.slice(2)));
    });
  meters
    .command('fail')
    .argument('<serial>', 'meter serial')
    .description('Mark a meter failed (broken seal, no display, damage): it bills by average, then norm')
    .requiredOption('--reason <text>', 'what is wrong')
    .option('--json', 'print JSON')
    .action(async (serial: string, o: { reason: string; json?: boolean }) => {
      const m = await run(meterPatchSchema, { status: 'failed', failureReason: o.reason }, (d, p) =>
        patchMeter(d, serial, p),
      );
      print(o.json, m, () => meterLines(m).map((l) => l.slice(2)));
    });
  meters
    .command('replace')
    .argument('<serial>', 'serial of the meter being replaced')
    .description("Replace a meter: the old one's final reading and the new one's act, in one transaction")
    .requiredOption('--final <values>', 'final reading of the old meter, T1[,T2[,T3]] (decimals with a dot)')
    .requiredOption('--new-serial <serial>', 'serial of the new meter')
    .requiredOption('--initial <values>', 'initial reading of the new meter from the act, T1[,T2[,T3]]')
    .requiredOption('--zones <n>', 'zones of the new meter: 1, 2 or 3')
    .requiredOption('--digits <n>', 'digits of the new meter before the decimal point, 4–9')
    .option('--decimals <n>', 'digits after the decimal point, 0–3', '0')
    .requiredOption('--verification-date <date>', 'next verification date of the new meter, YYYY-MM-DD')
    .option('--model <model>', 'model of the new meter')
    .option('--act <number>', 'act number')
    .option('--at <iso>', 'when it was replaced, ISO 8601 with offset; now by default')
    .option('--submitted-by <who>', 'who entered the act')
    .option('--json', 'print JSON')
    .action(async (serial: string, o: Record<string, string | boolean | undefined>) => {
      const app = await ctx.app();
      const body = {
        replacedAt: o.at ?? app.clock.now().toISOString(),
        finalValues: valueList(String(o.final)),
        actNumber: o.act,
        submittedBy: o.submittedBy,
        newMeter: {
          serial: o.newSerial,
          model: o.model,
          zones: integer('--zones', o.zones),
          digits: integer('--digits', o.digits),
          decimals: integer('--decimals', o.decimals),
          initialValues: valueList(String(o.initial)),
          nextVerificationOn: o.verificationDate,
        },
      };
      const result = await run(meterReplacementSchema, body, (d, input) => replaceMeter(d, serial, input));
      print(o.json === true, result, () => replacementLines(result));
    });

  program
    .command('tariffs')
    .description('Tariffs (domain.md §6.3)')
    .command('list')
    .description('Tariffs in force on a date (each region’s local today by default)')
    .option('--region <code>', 'only this region')
    .option('--on <date>', 'the date, YYYY-MM-DD')
    .option('--category <category>', 'gas_stove, electric_stove, rural or equated')
    .option('--meter-type <type>', 'single, two_zone or three_zone')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const q = { region: o.region, on: o.on, category: o.category, meterType: o.meterType };
      const list = await run(tariffListQuerySchema, q, listTariffs);
      print(o.json === true, { on: o.on ?? null, tariffs: list }, () => tariffLines(list));
    });

  program
    .command('norms')
    .description('Consumption norms (domain.md §6.1 item 4, §7)')
    .command('list')
    .description('Norms per person in force on a date; --common for common-needs norms per m²')
    .option('--region <code>', 'only this region')
    .option('--on <date>', 'the date, YYYY-MM-DD')
    .option('--stove <type>', 'gas or electric')
    .option('--common', 'common-needs norms (kWh per m² of common area)')
    .option('--json', 'print JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      if (o.stove !== undefined && o.stove !== 'gas' && o.stove !== 'electric')
        throw new CliInputError('VALIDATION_FAILED', '--stove: gas или electric / gas or electric');
      const q = { region: o.region, on: o.on };
      if (o.common) {
        const list = await run(inForceQuerySchema, q, listCommonNorms);
        print(o.json === true, { on: o.on ?? null, commonNorms: list }, () =>
          list.length === 0
            ? ['Нормативов ОДН на эту дату нет / no common-needs norms in force']
            : list.map((c) => `${c.region.padEnd(10)} ${c.kwhPerM2} кВт·ч на м² с ${c.effectiveFrom}`),
        );
        return;
      }
      const stoveType = o.stove as string | undefined;
      const list = await run(inForceQuerySchema, q, (d, p) => listNorms(d, { ...p, stoveType }));
      print(o.json === true, { on: o.on ?? null, norms: list }, () => normLines(list));
    });
}

/** "1350,560" or "1350 560" or "1350;560" → ["1350", "560"] (a dot is the decimal separator here). */
function valueList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function integer(option: string, value: string | boolean | undefined): number {
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new CliInputError('VALIDATION_FAILED', `${option}: ожидается целое число / an integer is expected`);
  return n;
}
