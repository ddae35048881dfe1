// A python3 script of the benchmarks that answers each JSON line of its input with one JSON line
// (bench/peers.py for the harness, bench/cliffs.py for the cliff finder), so that the JS side can
// ask for a Python measurement right after its own of the same copy: ratios then compare samples
// taken seconds apart, not the minutes a whole run takes, over which the memory bandwidth of a
// shared VM drifts by 2-3x. The script's first line is what it reports on starting (versions).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export class PythonServer {
  /** Why there are no more answers (the process could not start, died or wrote no JSON), or null. */
  failure: string | null = null;
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private err = '';
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;

  constructor(script: string) {
    this.child = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.on('error', (e) => this.fail(`python3 not runnable: ${e.message}`));
    this.child.on('exit', (code) => {
      if (code !== 0) this.fail(`python3 ${script} failed (exit ${code}): ${this.err.slice(-500)}`);
    });
    this.child.stdout.on('data', (d: Buffer) => {
      const parts = (this.buffered + d.toString()).split('\n');
      this.buffered = parts.pop() ?? '';
      for (const line of parts) this.deliver(line);
    });
    // no more answers once its stdout ends (it exited, or closed it)
    this.child.stdout.on('end', () => {
      this.ended = true;
      this.deliver(null);
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.err = (this.err + d.toString()).slice(-2000);
    });
    // a request that stdin no longer takes (the process died): 'exit' says why
    this.child.stdin.on('error', () => undefined);
  }

  private fail(reason: string): void {
    this.failure ??= reason;
  }

  private deliver(line: string | null): void {
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }

  /** The script's next line, parsed; null once it has failed (`failure` says why). */
  async read<T>(what: string): Promise<T | null> {
    if (this.failure !== null) return null;
    const line =
      this.lines.shift() ??
      (this.ended ? null : await new Promise<string | null>((resolve) => (this.waiting = resolve)));
    if (line === null) {
      this.fail(`python3 ended before ${what}: ${this.err.slice(-500)}`);
      return null;
    }
    try {
      return JSON.parse(line) as T;
    } catch (e) {
      this.fail(`python3 gave no JSON for ${what}: ${(e as Error).message}`);
      return null;
    }
  }

  /** Sends `request` as one line and returns the answer, parsed; null once the script has failed. */
  ask<T>(request: unknown, what: string): Promise<T | null> {
    if (this.failure !== null) return Promise.resolve(null);
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    return this.read<T>(what);
  }

  /** Ends the script's input, after which it exits. */
  close(): void {
    this.child.stdin.end();
  }
}
