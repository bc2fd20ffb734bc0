/** Starts test/http/support/server-main.ts as a child process and waits for its port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** resolves when the process has exited */
  exited: Promise<void>;
}

/**
 * `fileLimit`: the child's open-file limit (ulimit -n), as a small production host would have;
 * `exposeGc`: run it with --expose-gc, as the launcher (bin/flow-nudge.js) runs the bot;
 * `script`: another server to run the same way (the bench's bare reference, bench/reference-ingest-server.ts);
 * `nodeArgs`: more Node flags (the bench's diagnostics, e.g. --trace-gc).
 */
export async function startChildServer(env: NodeJS.ProcessEnv, options: { fileLimit?: number; exposeGc?: boolean; script?: string; nodeArgs?: string[] } = {}): Promise<ChildServer> {
  const script = options.script ?? join(ROOT, 'test', 'http', 'support', 'server-main.ts');
  const args = [...(options.exposeGc ? ['--expose-gc'] : []), ...(options.nodeArgs ?? []), join(ROOT, 'bin', 'run-ts.js'), script];
  const [command, argv] = options.fileLimit
    ? ['sh', ['-c', `ulimit -n ${options.fileLimit} && exec "$0" "$@"`, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command as string, argv as string[], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}`, exited };
}
