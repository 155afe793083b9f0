import { describe, expect, it } from 'vitest';
import { MINISTACK_PYTHON_TIMEOUT_MS, runWithMinistack } from '../../support/ministack-python.js';

/**
 * The warm workers of a function on the local stack (localstack/ministack_launch.py), driven
 * through MiniStack's own modules: leased as an invocation leases them, and invoked.
 */

/**
 * Python making `worker`: a MiniStack Node.js worker (started by its first invocation) for a
 * function whose index.js is `source`; `runtime` is MiniStack's. Its timeout, 30 s, leaves a cold
 * start on a loaded machine all the time it needs (a test may shorten it in `worker.config`).
 */
const nodeWorker = (source: string) => `
import io, zipfile
from ministack.core import lambda_runtime as runtime
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as archive:
    archive.writestr("index.js", ${JSON.stringify(source)})
config = {"FunctionName": "f", "Runtime": "nodejs20.x", "Handler": "index.handler", "Timeout": 30,
          "FunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:f"}
worker = runtime.Worker("f", config, code.getvalue())
`;

describe("a function's warm workers on the local stack", { timeout: MINISTACK_PYTHON_TIMEOUT_MS }, () => {
  it('serves the new code after UpdateFunctionCode, even when an invocation that read the old code spawns a worker after it', () => {
    expect(
      runWithMinistack(`
from ministack.core import lambda_runtime as runtime
from ministack.services import lambda_svc
config = {"FunctionName": "f", "Runtime": "nodejs20.x",
          "FunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:f"}
def invoke(code):
    worker, how = lambda_svc.acquire_worker("f", config, code)
    runtime.release_worker(worker)
    return [how, worker.code_zip.decode()]
first = invoke(b"old")
warm = invoke(b"old")
runtime.invalidate_worker("f")  # what UpdateFunctionCode does
late = invoke(b"old")  # read the function before the update, leases after it
after = [invoke(b"new"), invoke(b"new")]
pool = [w.code_zip.decode() for w in runtime._workers[runtime._worker_key("f", config, "$LATEST")]]
print(json.dumps({"first": first, "warm": warm, "late": late, "after": after, "pool": pool}))
`),
    ).toEqual({
      first: ['spawn', 'old'],
      warm: ['reused', 'old'],
      late: ['spawn', 'old'],
      after: [
        ['spawn', 'new'],
        ['reused', 'new'],
      ],
      pool: ['new'],
    });
  });

  it('in a burst, waits for one of 4 busy workers to be free rather than spawning a fifth, and spawns one when none is', () => {
    expect(
      runWithMinistack(`
import threading
from ministack.core import lambda_runtime as runtime
from ministack.services import lambda_svc
config = {"FunctionName": "b", "Runtime": "nodejs20.x",
          "FunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:b"}
lease = lambda: lambda_svc.acquire_worker("b", config, b"code")
def pool():
    return len(runtime._workers[runtime._worker_key("b", config, "$LATEST")])
first = [lease() for _ in range(3)]  # three busy: a fourth is spawned at once
fourth = lease()
busy = [worker for worker, _ in first + [fourth]]
# All four busy: the next waits, and takes the one released meanwhile.
threading.Timer(0.1, lambda: lambda_svc.release_worker(busy[0])).start()
waited = lease()
# All four busy again and none released: it spawns a fifth once the wait is over.
spawned = lease()
print(json.dumps({"first": [how for _, how in first], "fourth": fourth[1], "waited": [waited[1], waited[0] is busy[0]],
                  "spawned": spawned[1], "pool": pool()}))
`),
    ).toEqual({
      first: ['spawn', 'spawn', 'spawn'],
      fourth: 'spawn',
      waited: ['reused', true],
      spawned: 'spawn',
      pool: 5,
    });
  });

  it('keeps a worker whose handler threw (the next invocation is warm, as on AWS), and replaces one that timed out', () => {
    expect(
      runWithMinistack(`
${nodeWorker(
  `let calls = 0;
exports.handler = async (event) => {
  calls += 1;
  if (event.wait) await new Promise((resolve) => setTimeout(resolve, 3000));
  if (event.fail) throw new Error("Unauthorized");
  return { pid: process.pid, calls };
};
`,
)}
def invoke(event):
    result = worker.invoke(event, "request")
    return [result["status"], result.get("result") or result["error"]]
first = invoke({})
threw = invoke({"fail": True})
after = invoke({})
# Only this warm invocation has a short timeout: a cold start on a loaded machine can take a second.
worker.config["Timeout"] = 1
timed_out = invoke({"wait": True})
worker.config["Timeout"] = 30
fresh = invoke({})
runtime.kill_workers([worker])
print(json.dumps({"first": first, "threw": threw, "after": after, "timedOut": timed_out, "fresh": fresh}))
`),
    ).toEqual({
      first: ['ok', { pid: expect.any(Number), calls: 1 }],
      threw: ['error', 'Unauthorized'],
      after: ['ok', { pid: expect.any(Number), calls: 3 }],
      timedOut: ['error', 'Task timed out after 1.00 seconds'],
      fresh: ['ok', { pid: expect.any(Number), calls: 1 }],
    });
  });

  it("keeps each invocation's output with it, up to the handler's last line, without the end mark", () => {
    expect(
      runWithMinistack(`
${nodeWorker(
  `exports.handler = async (event) => {
  for (let i = 0; i < event.lines; i++) console.log(JSON.stringify({ call: event.call, line: i, pad: "x".repeat(4000) }));
  return "done";
};
`,
)}
logs = []
marked = False
for call in range(3):
    result = worker.invoke({"call": call, "lines": 200}, f"request-{call}")
    marked = marked or "logs_end" in result["log"]
    logs.append([json.loads(line)["call"] for line in result["log"].splitlines() if line.startswith("{")])
runtime.kill_workers([worker])
print(json.dumps({"counts": [len(log) for log in logs], "own": [set(log) == {call} for call, log in enumerate(logs)], "marked": marked}))
`),
    ).toEqual({ counts: [200, 200, 200], own: [true, true, true], marked: false });
  });
});
