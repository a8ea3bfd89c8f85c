import { openApp } from '../platform/app.ts';
import { processContext, runCli } from './program.ts';

const ctx = processContext(() => openApp({ log: (m) => process.stderr.write(`${m}\n`) }));
const code = await runCli(process.argv.slice(2), ctx);
await ctx.close().catch(() => {});
process.exit(code);
