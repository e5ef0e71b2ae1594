// allparty-scan: see `allparty-scan --help` (the text is in ./run.ts).
import { runCli } from './run';

process.exitCode = await runCli(process.argv.slice(2));
