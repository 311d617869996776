/** The CLI and its worker threads (bundled to server/out/cli-main.js, which server/out/cli.js loads). */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runCli } from './cli/main';
import { serveAsWorker } from './node/pool';

const data = workerData as { llmlintWorker?: boolean; root?: string } | null;
if (!isMainThread && parentPort && data?.llmlintWorker && data.root) {
  void serveAsWorker(parentPort, data.root);
} else {
  runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`llmlint: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
