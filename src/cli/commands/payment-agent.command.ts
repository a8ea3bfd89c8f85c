import type { Command } from 'commander';
import { listAgents, saveAgent, setAgentActive } from '../../channels/osmp/index.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent payment-agents add|list|disable|enable` (alias `payment-agent`): terminal networks and agents paying over OSMP (docs/formats.md). */
export function registerPaymentAgentCommands(program: Command, ctx: CliContext): void {
  const agents = program
    .command('payment-agents')
    .alias('payment-agent')
    .description('Payment terminals and agents (OSMP check/pay): credentials and allowed networks');
  agents
    .command('add')
    .description('Add an agent, or replace its credentials and networks')
    .requiredOption('--code <code>', 'agent code (goes with each of its payments)')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--login <login>', 'HTTP Basic login')
    .requiredOption(
      '--password-env <VAR>',
      'environment variable holding the password (never on the command line)',
    )
    .requiredOption('--allow <cidr,...>', 'networks it calls from, e.g. 203.0.113.0/24,127.0.0.1/32')
    .action(async (o: { code: string; name: string; login: string; passwordEnv: string; allow: string }) => {
      const password = process.env[o.passwordEnv];
      if (!password || password.length < 12)
        throw new CliInputError(
          'WEAK_PASSWORD',
          `в переменной ${o.passwordEnv} нужен пароль не короче 12 символов`,
        );
      const allowedIps = o.allow
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const cidr = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)(\/\d{1,3})?$/;
      const bad = allowedIps.find((c) => !cidr.test(c));
      if (allowedIps.length === 0 || bad)
        throw new CliInputError('BAD_NETWORK', `--allow: сеть «${bad ?? ''}» указана неверно`);
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(o.code))
        throw new CliInputError('BAD_CODE', '--code: латинские буквы, цифры, _ . -');
      const app = await ctx.app();
      const a = await saveAgent(app.database.db, {
        code: o.code,
        name: o.name,
        login: o.login,
        password,
        allowedIps,
      });
      ctx.out(`Агент ${a.code} (${a.name}): логин ${a.login}, сети ${a.allowedIps.join(', ')}.`);
    });
  agents
    .command('list')
    .description('List agents')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const app = await ctx.app();
      const list = await listAgents(app.database.db);
      if (o.json) return ctx.out(JSON.stringify(list, null, 2));
      for (const a of list)
        ctx.out(
          `${a.code}\t${a.name}\t${a.login}\t${a.allowedIps.join(',')}\t${a.active ? 'active' : 'off'}`,
        );
    });
  for (const [name, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    agents
      .command(name)
      .description(active ? 'Let an agent pay again' : 'Stop an agent: its credentials are refused (401)')
      .requiredOption('--code <code>', 'agent code')
      .action(async (o: { code: string }) => {
        const app = await ctx.app();
        if (!(await setAgentActive(app.database.db, o.code, active)))
          throw new CliInputError('AGENT_NOT_FOUND', `агент ${o.code} не найден`);
        ctx.out(`Агент ${o.code}: ${active ? 'включён' : 'отключён'}.`);
      });
  }
}
