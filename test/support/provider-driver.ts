// Test-side handle on provider-host.js: one child process per serialised provider, methods called by RPC.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

export type CallResult = { ok: true; result: any } | { ok: false; error: string };

export class SerializedProvider {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (r: CallResult) => void>();
  private next = 0;

  constructor(file: string) {
    this.child = spawn(process.execPath, [path.join(__dirname, "provider-host.js"), file], { stdio: ["pipe", "pipe", "pipe"] });
    readline.createInterface({ input: this.child.stdout }).on("line", (line) => {
      const { id, ...rest } = JSON.parse(line);
      this.waiting.get(id)?.(rest as CallResult);
      this.waiting.delete(id);
    });
  }

  call(method: string, ...args: unknown[]): Promise<CallResult> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(JSON.stringify({ id, method, args }) + "\n");
    });
  }

  /** The method's result, or a thrown Error with the provider's message. */
  async ok(method: string, ...args: unknown[]): Promise<any> {
    const r = await this.call(method, ...args);
    if (!r.ok) throw new Error(r.error);
    return r.result;
  }

  stop(): void {
    this.child.kill();
  }
}
