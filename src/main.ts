import { sql } from 'kysely';
import { billRecentPeriods } from './billing/index.ts';
import { saveAgent } from './channels/osmp/index.ts';
import { scheduleMoneyDays } from './ledger/index.ts';
import { openApp } from './platform/app.ts';
import { createOperatorKey, DEMO_OPERATOR_KEY, isOperatorKeyActive } from './platform/operator-auth.ts';
import { seedDemoCity } from './registry/seed.service.ts';
import { buildServer } from './server.ts';

const DEMO_TERMINAL = { login: 'demo-terminal', password: 'demo-terminal-password' };

/**
 * `npm start`: configuration → database (embedded PostgreSQL unless DATABASE_URL) → migrations → the demo
 * city on first start → HTTP. Ctrl-C stops cleanly; a killed run leaves nothing that blocks the next start.
 */
const say = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();
say('abonent: запуск… / starting…');
const app = await openApp({ log: (m) => say(`  ${m}`) });
say(app.embedded ? `  встроенный PostgreSQL: ${app.config.dataDir}/pg` : '  PostgreSQL: DATABASE_URL');

const accounts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM account`.execute(app.database.db);
if (accounts.rows[0]!.n === 0 && app.config.demoAccounts > 0) {
  say(`  загружаю демо-город (${app.config.demoAccounts} лицевых счетов)…`);
  let lastPct = -1;
  const summary = await seedDemoCity(app.database, {
    accounts: app.config.demoAccounts,
    seed: 1,
    now: app.clock.now(),
    onProgress: (done, total) => {
      const pct = Math.floor((done / total) * 100);
      if (pct >= lastPct + 25) {
        lastPct = pct;
        say(`    ${pct}%`);
      }
    },
  });
  await createOperatorKey(app.database.db, 'demo operator', DEMO_OPERATOR_KEY);
  // A demo terminal network paying over OSMP from this machine (docs/formats.md "OSMP").
  await saveAgent(app.database.db, {
    code: 'DEMO-TERMINAL',
    name: 'Демо-терминалы',
    login: DEMO_TERMINAL.login,
    password: DEMO_TERMINAL.password,
    allowedIps: ['127.0.0.1/32', '::1/128'],
  });
  say(`  демо-город: ${summary.accounts} счетов, ${summary.meters} счётчиков, ${summary.readings} показаний`);
  say('  формирую счета за последние полгода / billing the last six months…');
  let mark = performance.now();
  await billRecentPeriods(app.database, app.clock, {
    periods: 6,
    onPeriod: (period, bills, p) => {
      const s = ((performance.now() - mark) / 1000).toFixed(1);
      mark = performance.now();
      say(
        `    ${period}: ${bills} счетов выпущено; оплачено в срок ${p.paid}, с опозданием ${p.late}, не оплачено ${p.unpaid} (${s} с)`,
      );
    },
  });
}

const server = await buildServer(app, {
  logger: process.env.LOG_LEVEL === 'debug' ? { level: 'debug' } : false,
});
await server.listen({ port: app.config.port, host: app.config.host });
const base = `http://localhost:${app.config.port}`;
const demoKey = (await isOperatorKeyActive(app.database.db, DEMO_OPERATOR_KEY))
  ? DEMO_OPERATOR_KEY
  : undefined;
const sample = await sql<{ number: string; serial: string; zones: number; region: string }>`
  SELECT a.number, m.serial, m.zones, h.region_code AS region
  FROM account a JOIN meter m ON m.account_id = a.id AND m.status = 'active' AND m.next_verification_on > now()
  JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
  WHERE a.status = 'active' ORDER BY m.zones, a.number LIMIT 1`.execute(app.database.db);
const ex = sample.rows[0];

say('');
say(`abonent работает / is up (${((performance.now() - started) / 1000).toFixed(1)} s):`);
say(`  Проверка / health:        ${base}/health`);
say(`  API (OpenAPI, Swagger):   ${base}/docs`);
if (demoKey) say(`  Ключ оператора / operator API key (demo): ${demoKey}`);
if (ex) {
  say(
    `  Демо-счёт / demo account: ${ex.number} (счётчик ${ex.serial}, ${ex.zones} зон., регион ${ex.region})`,
  );
  say('  Передать показания / submit a reading:');
  say(
    `    curl -s -X POST ${base}/api/v1/readings -H 'Authorization: Bearer ${demoKey ?? '<key>'}' -H 'Content-Type: application/json' -d '{"account":"${ex.number}","values":["<T1>"]}'`,
  );
  say(
    `    npx abonent readings submit --account ${ex.number} --t1 <T1>   (в другом терминале / in another terminal)`,
  );
}
const lastBill = await sql<{ number: string; period: string }>`
  SELECT a.number, b.period FROM bill b JOIN account a ON a.id = b.account_id
  WHERE b.status = 'issued' ${ex ? sql`AND a.number = ${ex.number}` : sql``}
  ORDER BY b.period DESC LIMIT 1`.execute(app.database.db);
const lb = lastBill.rows[0];
if (lb) {
  say(`  Счёт / bill (JSON, PDF):  ${base}/api/v1/accounts/${lb.number}/bills/${lb.period}  …/pdf`);
  say(`    npx abonent bills show --account ${lb.number} --period ${lb.period}`);
}
if (ex && !app.config.cardPayments.providerUrl) {
  say(`  Оплата картой / card payment (песочница ${base}/sandbox-pay/, карта 4111 1111 1111 1111):`);
  say(
    `    curl -s -X POST ${base}/api/v1/accounts/${ex.number}/card-payments -H 'Authorization: Bearer ${demoKey ?? '<key>'}' -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' -d '{"amountKopecks":150000}'   → confirmationUrl`,
  );
}
if (ex) {
  say('  Терминал (OSMP) / payment terminal:');
  say(
    `    curl -s -u ${DEMO_TERMINAL.login}:${DEMO_TERMINAL.password} '${base}/osmp?command=pay&txn_id=1&account=${ex.number}&sum=500.00&txn_date=<ГГГГММДДччммсс>'`,
  );
}
// Daily money work: credit settled payments, move debt cases by their dates (§9, §11).
const stopMoneyDays =
  process.env.ABONENT_DAILY_JOBS === '0'
    ? async () => {}
    : scheduleMoneyDays(
        { db: app.database.db, clock: app.clock },
        {
          onRun: (r) =>
            say(
              `  ${r.date}: зачислено платежей ${r.settled}; должников ${r.debt.eligible}, новых дел ${r.debt.opened}, шагов ${r.debt.transitions}`,
            ),
          onError: (e) => say(`  ежедневные задачи: ${(e as Error).message}`),
        },
      );
say('Остановить / stop: Ctrl-C');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\nabonent: остановка (${signal})… / stopping…`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await stopMoneyDays();
  await server.close().catch(() => {});
  await app.close().catch((e) => say(`  ${(e as Error).message}`));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
