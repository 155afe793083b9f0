"""Starts MiniStack (the pinned 1.5.33) with CloudWatch alarms evaluated as
AWS evaluates them, and a function's log lines kept with their invocation.
Local tooling only: never deployed.

Log lines (ministack/core/lambda_runtime.py, `Worker._drain_stderr_bounded`):
after a function answers, MiniStack collects what it wrote for at most 250 ms
and stops at the first 5 ms without a line. On a busy machine the thread that
reads the function's output falls more than 5 ms behind, and the invocation's
last lines (its EMF metrics line, written just before the answer) are stored
with the function's next invocation, or never if none comes. On AWS they are
always the invocation's. Here the quiet that ends the collection is 25 ms:
about 20 ms more per invocation, within the same 250 ms cap.

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
"""

import sys
import time

from ministack.app import main
from ministack.core import lambda_runtime
from ministack.services import cloudwatch as cw

QUIET_BEFORE_LOGS_END_S = 0.025

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

if not hasattr(lambda_runtime.Worker, "_drain_stderr_bounded"):
    sys.exit("localstack/ministack_launch.py: MiniStack's Lambda worker has no _drain_stderr_bounded; "
             "the log collection was written for MiniStack 1.5.33")
_drain = lambda_runtime.Worker._drain_stderr_bounded


def _drain_stderr_bounded(self, first_line_wait=0.050, idle_confirm=QUIET_BEFORE_LOGS_END_S, hard_cap=0.250):
    return _drain(self, first_line_wait=first_line_wait, idle_confirm=max(idle_confirm, QUIET_BEFORE_LOGS_END_S),
                  hard_cap=hard_cap)


lambda_runtime.Worker._drain_stderr_bounded = _drain_stderr_bounded

if __name__ == "__main__":
    sys.exit(main())
