import { Command, CommanderError } from 'commander';
import type { AppContext } from '../platform/app.ts';
import {
  CliCheckFailed,
  type CliContext,
  CliInputError,
  EXIT_BAD_INPUT,
  EXIT_FAILURE,
  EXIT_OK,
} from './cli-context.ts';
import { registerBillingCommands } from './commands/billing.command.ts';
import { registerBillsCommands } from './commands/bills.command.ts';
import { registerCardPaymentCommands } from './commands/card-payments.command.ts';
import { registerDebtCommands } from './commands/debt.command.ts';
import { registerLedgerCommands } from './commands/ledger.command.ts';
import { registerPaymentAgentCommands } from './commands/payment-agent.command.ts';
import { registerPaymentRegistryCommands } from './commands/payments-registry.command.ts';
import { registerReadingsCommands } from './commands/readings.command.ts';
import { registerRegistryCommands } from './commands/registry.command.ts';
import { registerRegistryIoCommands } from './commands/registry-io.command.ts';
import { registerSeedCommand } from './commands/seed.command.ts';
import { registerSystemCommands } from './commands/system.command.ts';

/** Builds the `abonent` command tree over a context (tests pass their own). */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('abonent')
    .description('abonent — registry, readings intake, billing and money of an electricity supplier')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
  registerSystemCommands(program, ctx);
  registerReadingsCommands(program, ctx);
  registerRegistryCommands(program, ctx);
  registerRegistryIoCommands(program, ctx);
  registerSeedCommand(program, ctx);
  registerBillingCommands(program, ctx);
  registerBillsCommands(program, ctx);
  registerCardPaymentCommands(program, ctx);
  registerLedgerCommands(program, ctx);
  registerPaymentAgentCommands(program, ctx);
  registerPaymentRegistryCommands(program, ctx);
  registerDebtCommands(program, ctx);
  return program;
}

/** Runs the command line; returns the exit code (0 ok, 1 failure, 2 bad input). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
    if (e instanceof CliInputError) {
      const printed = (e.details as { printed?: boolean } | undefined)?.printed;
      if (!printed) ctx.err(`Ошибка ${e.code}: ${e.message}`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof CliCheckFailed) return EXIT_FAILURE;
    ctx.err(`Сбой: ${(e as Error).message}. Проверьте, доступна ли база данных (DATABASE_URL), и повторите.`);
    return EXIT_FAILURE;
  }
}

/** A context that opens the real system once, lazily, and closes it at the end. */
export function processContext(open: () => Promise<AppContext>): CliContext & { close(): Promise<void> } {
  let app: Promise<AppContext> | undefined;
  return {
    app: () => {
      app ??= open();
      return app;
    },
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    interactive: Boolean(process.stderr.isTTY),
    async close() {
      if (app) await (await app).close();
    },
  };
}
