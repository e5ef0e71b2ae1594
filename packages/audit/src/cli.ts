/**
 * allparty-audit: verify a consent log, show one visitor's consent, export, stats, an HTML
 * report, and receipts. `allparty-audit --help` lists the commands.
 */
import { runAudit } from './commands';

const code = await runAudit(process.argv.slice(2), {
  stdout: (text) =>
    new Promise<void>((resolve) => {
      if (process.stdout.write(text)) resolve();
      else process.stdout.once('drain', () => resolve());
    }),
  stderr: (text) => {
    process.stderr.write(text);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  env: process.env,
});
process.exitCode = code;
