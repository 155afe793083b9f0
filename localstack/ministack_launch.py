"""Starts MiniStack (the pinned 1.5.33) with CloudWatch alarms evaluated as
AWS evaluates them, and a function's log lines kept with their invocation.
Local tooling only: never deployed.

Log lines (ministack/core/lambda_runtime.py, `Worker._drain_stderr_bounded`):
after a function answers, MiniStack collects what it wrote for at most 250 ms
and stops at the first 5 ms without a line. On a busy machine the thread that
reads the function's output falls behind, and the invocation's last lines (its
EMF metrics line, written just before the answer) are stored with the
function's next invocation, or never if none comes. On AWS they are always the
invocation's. Here a Node.js worker writes a mark with the request id after
the handler's last line (before its answer), and the collection reads up to
that mark (for at most 2 s). Other runtimes stop at the first 25 ms of quiet.

MiniStack evaluates a metric alarm whenever metric data arrives, which is
fine, but it differs from CloudWatch in ways that would break the stack's
alarms (read in ministack/services/cloudwatch.py, `_evaluate_alarm`):

- it ignores the alarm's dimensions: every datum of the metric name counts,
  so one dead-letter queue's depth (or the log-feed archive's, which keeps
  every message) would put every dead-letter queue's alarm in ALARM, and one
  service's 5xx every service's 5xx alarm;
- it takes one statistic over the whole window instead of one per period,
  so "2 consecutive periods" (EvaluationPeriods, DatapointsToAlarm) means
  nothing: a single failed health check would fire at once;
- it ignores TreatMissingData: with no recent data it keeps the old state,
  so an alarm never goes back to OK when its metric stops.

This replaces `_evaluate_alarm` (called for each alarm when data arrives, when
an alarm is put, and when CloudFormation creates one) with an evaluation that
follows CloudWatch's: the datapoints of the alarm's exact metric (namespace,
name and dimensions), one statistic per period (percentiles through
MiniStack's own code), the last EvaluationPeriods periods, ALARM when at
least DatapointsToAlarm of them breach, missing periods treated as the alarm
says. The current minute counts once it has data (so an alarm fires as soon
as its datum arrives) and is otherwise left out, as CloudWatch waits for a
period's data. State changes, history and SNS actions go through MiniStack's
own code, unchanged.

A function's warm workers (ministack/core/lambda_runtime.py, `acquire_worker`)
are pooled by function name alone. UpdateFunctionCode empties the pool, but an
invocation that read the function before the update and leases a worker after
it spawns one with the old code, and the pool keeps it: the function answers
with its old code until the stack stops (on AWS, every invocation after the
update runs the new code). Here a free worker whose code is not the code the
invocation carries is stopped instead of leased.

MiniStack also stops a function's worker after every invocation that ends in
an error (`Worker.invoke`), even one the handler reported itself (an error it
threw; the worker process carries on). On AWS a Node.js or Python execution
environment outlives a handler's error: the next invocation is warm. Every
401 of the API is such an error (a Lambda authorizer denies a request by
throwing "Unauthorized", as AWS documents), so MiniStack cold-started the
authorizer again after each one: most of the Lambda workers of a test run,
each about 0.3 s of CPU. Here a worker is kept after an error its handler
reported (the worker's answer carries the error's stack trace), and stopped
as before after a timeout or when its process died.

A burst of invocations of one function (50 bookings at once, a queue's batch
of RPC requests) spawns a worker for each invocation that finds none free: on
AWS each of those cold starts runs on hardware of its own, here each is about
0.5 s of CPU on the same few cores, and a burst of them slows every function
of the machine past its timeout. Here an invocation of a function that has 4
or more workers, all busy, waits up to 0.5 s for one to be free (a warm
invocation takes milliseconds) and spawns one only if none is. The wait is
bounded, so a handler that invokes its own function never deadlocks (the
reason MiniStack spawns without waiting). Nothing is throttled or refused.

SQS long polling (ministack/services/sqs.py, `_act_receive_message`): on AWS a
ReceiveMessage with WaitTimeSeconds answers as soon as a message is there;
MiniStack's looks at the queue again every 100 ms. Every RPC between the
services (a request queue, then a long poll of the caller's reply queue)
waited out one such tick for nothing: 108 ms a round trip, where the work
takes a few. Here a message sent to a queue wakes the receivers waiting on it
at once; the 100 ms look stays for messages that become visible by time (a
delay, a visibility timeout running out) or arrive another way.

Log filter patterns (ministack/services/cloudwatch_logs.py,
`_compile_filter_pattern`): MiniStack matches each term of a pattern with
`fnmatch` against `*term*`, and then with `in`. For a term without a wildcard
both say the same, and the `fnmatch` was over half the time of a
FilterLogEvents call: the local metrics agent (localstack/metrics-agent) reads
every log group's last seconds with one every second, and under a load of
bookings that was a fifth of the stack's throughput. Here a pattern whose terms
have no wildcard is matched with `in` alone; any other keeps MiniStack's own
matcher. What matches is unchanged (case-insensitive, as MiniStack has it).
"""

import asyncio
import contextvars
import queue
import sys
import threading
import time

from ministack.app import main
from ministack.core import lambda_runtime
from ministack.services import cloudwatch as cw
from ministack.services import cloudwatch_logs as cwl
from ministack.services import lambda_svc
from ministack.services import sqs

QUIET_BEFORE_LOGS_END_S = 0.025
# A function with this many workers, all busy, waits this long for one to be free before it spawns another.
BURST_WORKERS = 4
BURST_WAIT_S = 0.5

_COMPARE = {
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "GreaterThanThreshold": lambda v, t: v > t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def _period_values(alarm, now):
    """The statistic of each of the alarm's last periods, oldest first (None: no data)."""
    dims = cw._dims_from_list(alarm.get("Dimensions") or [])
    points = cw._metrics.get((alarm["Namespace"], alarm["MetricName"], cw._dims_key(dims))) or []
    period = int(alarm.get("Period") or 60)
    count = int(alarm.get("EvaluationPeriods") or 1)
    stat_name = alarm.get("ExtendedStatistic") or alarm.get("Statistic") or "Average"
    current = int(now // period) * period
    # One pass over the metric's points (it may hold many), keeping those of the periods that may count.
    recent = [p for p in points if p["Timestamp"] >= current - count * period]
    if not any(current <= p["Timestamp"] < current + period for p in recent):
        current -= period  # the current period has no data yet: it is not missing, it is not over
    values = []
    for start in range(current - (count - 1) * period, current + period, period):
        in_period = [p for p in recent if start <= p["Timestamp"] < start + period]
        stats = cw._calc_stats(in_period)
        values.append(cw._stat_value(stats, stat_name, in_period) if stats else None)
    return stat_name, values


def _evaluate_alarm(alarm):
    if not alarm.get("Namespace") or not alarm.get("MetricName"):
        return
    compare = _COMPARE.get(alarm.get("ComparisonOperator", ""))
    if compare is None:
        return  # anomaly-detection bands need metric math, which the local stack does not have
    threshold = float(alarm.get("Threshold", 0))
    stat_name, values = _period_values(alarm, time.time())
    needed = int(alarm.get("DatapointsToAlarm") or alarm.get("EvaluationPeriods") or 1)
    treat = alarm.get("TreatMissingData") or "missing"
    present = [v for v in values if v is not None]
    missing = len(values) - len(present)
    breaching = sum(1 for v in present if compare(v, threshold))
    if treat == "breaching":
        breaching += missing
    if not present and treat in ("missing", "ignore"):
        if treat == "ignore" or alarm["StateValue"] == "INSUFFICIENT_DATA":
            return
        new_state = "INSUFFICIENT_DATA"
    else:
        new_state = "ALARM" if breaching >= needed else "OK"
    old_state = alarm["StateValue"]
    if old_state == new_state:
        return
    shown = ", ".join("missing" if v is None else f"{v:g}" for v in values)
    reason = (
        f"Threshold Crossed: {breaching} out of the last {len(values)} datapoints [{shown}] "
        f"({stat_name}) {'were' if new_state == 'ALARM' else 'were not'} "
        f"{alarm.get('ComparisonOperator')} {threshold:g}"
    )
    alarm["StateValue"] = new_state
    alarm["StateReason"] = reason
    alarm["StateUpdatedTimestamp"] = int(time.time())
    cw._record_history(alarm["AlarmName"], old_state, new_state, reason)
    cw._dispatch_alarm_actions(alarm, old_state, new_state, reason)
    cw._evaluate_parent_alarms(alarm)


for name in ("_metrics", "_calc_stats", "_stat_value", "_dims_key", "_dims_from_list", "_record_history",
             "_dispatch_alarm_actions", "_evaluate_parent_alarms", "_evaluate_alarm"):
    if not hasattr(cw, name):
        sys.exit(f"localstack/ministack_launch.py: MiniStack's cloudwatch module has no {name}; "
                 "the alarm evaluation was written for MiniStack 1.5.33")
cw._evaluate_alarm = _evaluate_alarm

for name in ("_drain_stderr_bounded", "_drain_stderr"):
    if not hasattr(lambda_runtime.Worker, name):
        sys.exit(f"localstack/ministack_launch.py: MiniStack's Lambda worker has no {name}; "
                 "the log collection was written for MiniStack 1.5.33")
_SETTLE = "settled = true;\n        if (err) {"
if lambda_runtime._NODEJS_WORKER_SCRIPT.count(_SETTLE) != 1:
    sys.exit("localstack/ministack_launch.py: MiniStack's Node.js worker does not settle an invocation "
             "as 1.5.33 does; the end-of-output mark was written for it")
LOGS_END = "__ministack_launch_logs_end__ "
LOGS_END_WAIT_S = 2.0
lambda_runtime._NODEJS_WORKER_SCRIPT = lambda_runtime._NODEJS_WORKER_SCRIPT.replace(
    _SETTLE,
    f'settled = true;\n        _stderrWrite("{LOGS_END}" + context.awsRequestId + "\\n");\n        if (err) {{',
)
_drain = lambda_runtime.Worker._drain_stderr_bounded
_drain_all = lambda_runtime.Worker._drain_stderr


def _drain_stderr_bounded(self, first_line_wait=0.050, idle_confirm=QUIET_BEFORE_LOGS_END_S, hard_cap=0.250):
    request = getattr(_held, "request", None)
    if not request or not str(self.config.get("Runtime", "")).startswith("nodejs"):
        return _drain(self, first_line_wait=first_line_wait,
                      idle_confirm=max(idle_confirm, QUIET_BEFORE_LOGS_END_S), hard_cap=hard_cap)
    lines = []
    deadline = time.monotonic() + LOGS_END_WAIT_S
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = self._stderr_queue.get(timeout=remaining)
        except queue.Empty:
            break
        if not line.startswith(LOGS_END):
            lines.append(line)
        elif line[len(LOGS_END):] == request:
            break
        # else: an earlier invocation's mark, whose collection gave up: its lines come with this one
    return "\n".join(lines)


def _drain_stderr(self):
    return "\n".join(line for line in _drain_all(self).split("\n") if not line.startswith(LOGS_END))


lambda_runtime.Worker._drain_stderr_bounded = _drain_stderr_bounded
lambda_runtime.Worker._drain_stderr = _drain_stderr

for name in ("_workers", "_lock", "_worker_key", "kill_workers", "acquire_worker", "release_worker"):
    if not hasattr(lambda_runtime, name):
        sys.exit(f"localstack/ministack_launch.py: MiniStack's Lambda runtime has no {name}; "
                 "the worker pool was written for MiniStack 1.5.33")
_acquire = lambda_runtime.acquire_worker


# Signalled whenever a worker is released (shares the pool's lock).
_released = threading.Condition(lambda_runtime._lock)
_release = lambda_runtime.release_worker


def release_worker(worker):
    _release(worker)
    with _released:
        _released.notify_all()


def _wait_in_burst(key):
    """Waits (at most BURST_WAIT_S) while BURST_WORKERS or more workers of the function are all busy."""
    deadline = time.monotonic() + BURST_WAIT_S
    with _released:
        while True:
            pool = lambda_runtime._workers.get(key, [])
            left = deadline - time.monotonic()
            if len(pool) < BURST_WORKERS or any(not w.in_use for w in pool) or left <= 0:
                return
            _released.wait(left)


def acquire_worker(func_name, config, code_zip, qualifier="$LATEST", max_concurrency=None):
    key = lambda_runtime._worker_key(func_name, config, qualifier)
    _wait_in_burst(key)
    with lambda_runtime._lock:
        # Each invocation: the same code is the same bytes object, so most checks end at `is`.
        pool = lambda_runtime._workers.get(key, [])
        stale = [w for w in pool if not w.in_use and w.code_zip is not code_zip and w.code_zip != code_zip]
        for worker in stale:
            pool.remove(worker)
    lambda_runtime.kill_workers(stale)
    return _acquire(func_name, config, code_zip, qualifier=qualifier, max_concurrency=max_concurrency)


lambda_runtime.acquire_worker = acquire_worker
lambda_svc.acquire_worker = acquire_worker
lambda_runtime.release_worker = release_worker
lambda_svc.release_worker = release_worker

for name in ("_signal", "_collect", "_REAP_GRACE"):
    if not hasattr(lambda_runtime, name):
        sys.exit(f"localstack/ministack_launch.py: MiniStack's Lambda runtime has no {name}; "
                 "the worker's error handling was written for MiniStack 1.5.33")
_signal = lambda_runtime._signal
_collect = lambda_runtime._collect
_invoke = lambda_runtime.Worker.invoke
# The process Worker.invoke is stopping on this thread, held back until its answer says why.
_held = threading.local()


def _signal_held(proc):
    if getattr(_held, "holding", False) and proc is not None:
        _held.proc = proc
        return
    _signal(proc)


def _collect_held(proc, deadline):
    if proc is not None and proc is getattr(_held, "proc", None):
        return
    _collect(proc, deadline)


def invoke(self, event, request_id, **kwargs):
    _held.holding, _held.proc, _held.request = True, None, request_id
    try:
        result = _invoke(self, event, request_id, **kwargs)
    finally:
        proc, _held.holding, _held.proc, _held.request = _held.proc, False, None, None
    if proc is not None:
        handler_error = result.get("status") == "error" and "trace" in result and proc.poll() is None
        if handler_error and self._proc is None:
            self._proc = proc  # the worker is leased to this invocation until it is released
        else:
            _signal(proc)
            _collect(proc, time.monotonic() + lambda_runtime._REAP_GRACE)
    return result


lambda_runtime._signal = _signal_held
lambda_runtime._collect = _collect_held
lambda_runtime.Worker.invoke = invoke

for name in ("_act_receive_message", "_act_send_message", "_get_q", "_Err", "_HANDLERS", "asyncio"):
    if not hasattr(sqs, name):
        sys.exit(f"localstack/ministack_launch.py: MiniStack's sqs module has no {name}; "
                 "the long polling was written for MiniStack 1.5.33")
# The queue (its id) a ReceiveMessage on this task waits on.
_receiving = contextvars.ContextVar("receiving", default=None)
# Queue id -> the (event loop, event) of each ReceiveMessage waiting on it.
_receivers = {}
_receivers_lock = threading.Lock()
_receive_message = sqs._act_receive_message
_send_message = sqs._act_send_message


def _queue_id(data, qurl):
    try:
        return id(sqs._get_q(data.get("QueueUrl", qurl)))
    except sqs._Err:
        return None  # MiniStack's own handler answers for a queue that does not exist


async def receive_message(data, qurl):
    token = _receiving.set(_queue_id(data, qurl))
    try:
        return await _receive_message(data, qurl)
    finally:
        _receiving.reset(token)


def send_message(data, qurl):
    result = _send_message(data, qurl)
    if not _receivers:
        return result
    with _receivers_lock:
        waiting = list(_receivers.get(_queue_id(data, qurl), ()))
    for loop, event in waiting:
        loop.call_soon_threadsafe(event.set)
    return result


class _LongPolling:
    """sqs.py's `asyncio`: ReceiveMessage's wait between two looks ends early when a message is sent to its queue."""

    # The wait between two looks: MiniStack's (100 ms, less near the deadline) unless set (by a test).
    look_again_s = None

    def __getattr__(self, name):
        return getattr(asyncio, name)

    async def sleep(self, seconds):
        queue_id = _receiving.get()
        if queue_id is None:
            return await asyncio.sleep(seconds)
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with _receivers_lock:
            _receivers.setdefault(queue_id, set()).add(entry)
        try:
            await asyncio.wait_for(entry[1].wait(), self.look_again_s or seconds)
        except asyncio.TimeoutError:
            pass
        finally:
            with _receivers_lock:
                waiting = _receivers.get(queue_id)
                waiting.discard(entry)
                if not waiting:
                    del _receivers[queue_id]


sqs.asyncio = _LongPolling()
sqs._act_receive_message = receive_message
sqs._act_send_message = send_message  # SendMessageBatch sends each entry through it
sqs._HANDLERS.update({"ReceiveMessage": receive_message, "SendMessage": send_message})

if not hasattr(cwl, "_compile_filter_pattern"):
    sys.exit("localstack/ministack_launch.py: MiniStack's cloudwatch_logs module has no _compile_filter_pattern; "
             "the filter pattern matcher was written for MiniStack 1.5.33")
_compile_filter_pattern = cwl._compile_filter_pattern


def compile_filter_pattern(raw):
    """MiniStack's matcher, without `fnmatch` when no term has a wildcard (`*term*` then matches what `in` does)."""
    pattern = (raw or "").strip()
    if not pattern or pattern.startswith("{") or any(c in pattern for c in "*?["):
        return _compile_filter_pattern(raw)
    terms = pattern.split()
    include = [t.lstrip("+").strip('"').lower() for t in terms if not t.startswith("-")]
    exclude = [t[1:].strip('"').lower() for t in terms if t.startswith("-")]

    def matches(message):
        lowered = message.lower()
        return all(term in lowered for term in include) and not any(term in lowered for term in exclude)

    return matches


cwl._compile_filter_pattern = compile_filter_pattern

if __name__ == "__main__":
    sys.exit(main())
