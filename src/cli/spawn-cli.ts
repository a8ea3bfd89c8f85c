import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const mainPath = path.join(here, 'main.ts');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * Runs `abonent <args>` as a child process on the same database (DATABASE_URL set to the URL in use, so a
 * child never starts an embedded server of its own). Resolves on exit 0; rejects with its stderr tail.
 */
export function spawnCli(
  args: string[],
  databaseUrl: string,
  onStderr?: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, mainPath, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      tail = (tail + d).slice(-2000);
      if (onStderr) for (const line of d.split('\n')) if (line.trim()) onStderr(line);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`worker ${args.join(' ')} exited with ${signal ?? code}: ${tail.trim()}`));
    });
  });
}
