import { createHash, randomBytes } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Db } from '../../platform/database.ts';
import {
  findAgentByLogin,
  hashPassword,
  type PaymentAgent,
  verifyPassword,
} from './osmp-agent.repository.ts';

/**
 * Who may pay over OSMP: HTTP Basic credentials of an active agent, from an address in the agent's
 * allow-list. scrypt is deliberately slow, so a verified Authorization header is remembered for a minute
 * (by its SHA-256, never the password itself); a changed or deactivated agent is re-read after that.
 */
export type OsmpAuth = { ok: true; agent: PaymentAgent } | { ok: false; status: 401 | 403; reason: string };

const TTL_MS = 60_000;
let decoy: Promise<string> | undefined;
function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

export function osmpAuthenticator(db: Db) {
  const verified = new Map<string, { agent: PaymentAgent; at: number }>();
  return async function authenticate(authorization: string | undefined, ip: string): Promise<OsmpAuth> {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
    if (!m) return { ok: false, status: 401, reason: 'Basic credentials required' };
    const key = createHash('sha256').update(m[1]!).digest('hex');
    let agent = verified.get(key);
    if (!agent || performance.now() - agent.at > TTL_MS) {
      const text = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 1) return { ok: false, status: 401, reason: 'Basic credentials required' };
      const found = await findAgentByLogin(db, text.slice(0, colon));
      // An unknown login costs the same scrypt as a known one: the answer's timing tells no logins apart.
      const good = await verifyPassword(text.slice(colon + 1), found?.passwordHash ?? (await decoyHash()));
      if (!found?.active || !good) {
        verified.delete(key);
        return { ok: false, status: 401, reason: 'wrong login or password' };
      }
      agent = { agent: found, at: performance.now() };
      if (verified.size > 1000) verified.clear();
      verified.set(key, agent);
    }
    if (!allowed(agent.agent.allowedIps, ip))
      return { ok: false, status: 403, reason: `address ${ip} not allowed` };
    return { ok: true, agent: agent.agent };
  };
}

/** Whether an address is inside one of the networks (IPv4, IPv6, IPv4-mapped IPv6). */
export function allowed(cidrs: string[], ip: string): boolean {
  const address = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  const list = new BlockList();
  for (const c of cidrs) {
    const [net, bits] = c.split('/');
    if (!net) continue;
    if (isIPv4(net)) list.addSubnet(net, Number(bits ?? 32), 'ipv4');
    else if (isIPv6(net)) list.addSubnet(net, Number(bits ?? 128), 'ipv6');
  }
  if (isIPv4(address)) return list.check(address, 'ipv4');
  if (isIPv6(address)) return list.check(address, 'ipv6');
  return false;
}
