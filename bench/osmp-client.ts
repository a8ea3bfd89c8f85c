import { saveAgent } from '../src/channels/osmp/index.ts';
import type { Db } from '../src/platform/database.ts';

/** A terminal network for the benchmark, calling from loopback. */
export async function addOsmpAgent(db: Db): Promise<{ login: string; password: string }> {
  const agent = { login: 'bench-terminal', password: 'bench-terminal-password' };
  await saveAgent(db, {
    code: 'BENCH',
    name: 'Bench terminals',
    ...agent,
    allowedIps: ['127.0.0.1/32', '::1/128'],
  });
  return agent;
}

/** One OSMP pay as a terminal sends it (GET with the parameters in the query); returns the XML. */
export async function osmpPayRequest(
  base: string,
  agent: { login: string; password: string },
  p: { txnId: string; account: string; sum: string },
): Promise<string> {
  const q = new URLSearchParams({
    command: 'pay',
    txn_id: p.txnId,
    account: p.account,
    sum: p.sum,
    txn_date: '20261120093000',
  });
  const r = await fetch(`${base}/osmp?${q}`, {
    headers: { authorization: `Basic ${Buffer.from(`${agent.login}:${agent.password}`).toString('base64')}` },
  });
  return r.text();
}
