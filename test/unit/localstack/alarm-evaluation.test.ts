import { describe, expect, it } from 'vitest';
import { MINISTACK_PYTHON_TIMEOUT_MS, runWithMinistack } from '../../support/ministack-python.js';

/**
 * Runs a scenario against MiniStack's own CloudWatch module with
 * localstack/ministack_launch.py's evaluation in place (no server): alarms
 * are put, data is stored and evaluated as PutMetricData does, and the
 * script prints what it wants checked as JSON. SNS actions are recorded
 * instead of sent.
 */
function scenario(body: string): unknown {
  return runWithMinistack(`
from ministack.services import cloudwatch as cw
sent = []
cw._dispatch_alarm_actions = lambda alarm, old, new, reason: sent.append([alarm["AlarmName"], old, new])
def alarm(name, namespace, metric, dims, op, threshold, stat="Maximum", ext=None, periods=1, treat="notBreaching"):
    cw._alarms[name] = {"AlarmName": name, "Namespace": namespace, "MetricName": metric,
        "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()], "Statistic": stat,
        "ExtendedStatistic": ext, "Period": 60, "EvaluationPeriods": periods, "Threshold": threshold,
        "ComparisonOperator": op, "TreatMissingData": treat, "StateValue": "INSUFFICIENT_DATA",
        "StateReason": "", "AlarmActions": [], "OKActions": []}
def put(namespace, metric, dims, values, ago=0):
    cw._store_datum(namespace, metric, dims, time.time() - ago, "None", None, values, None, None)
    cw._evaluate_all_alarms()
def states():
    return {name: a["StateValue"] for name, a in cw._alarms.items()}
${body}
`);
}

describe('alarm evaluation on the local stack (localstack/ministack_launch.py)', {
  timeout: MINISTACK_PYTHON_TIMEOUT_MS,
}, () => {
  it("counts only the alarm's own dimensions: one dead-letter queue's depth fires its alarm alone", () => {
    expect(
      scenario(`
for q in ("a-dlq", "b-dlq"):
    alarm(q, "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": q}, "GreaterThanOrEqualToThreshold", 1)
put("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "archive"}, [40])
first = states()
put("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "a-dlq"}, [1])
put("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "b-dlq"}, [0])
print(json.dumps({"first": first, "after": states(), "sent": sent}))
`),
    ).toEqual({
      first: { 'a-dlq': 'OK', 'b-dlq': 'OK' },
      after: { 'a-dlq': 'ALARM', 'b-dlq': 'OK' },
      sent: [
        ['a-dlq', 'INSUFFICIENT_DATA', 'OK'],
        ['b-dlq', 'INSUFFICIENT_DATA', 'OK'],
        ['a-dlq', 'OK', 'ALARM'],
      ],
    });
  });

  it('needs every one of its consecutive periods to breach: one failed health check is not two', () => {
    expect(
      scenario(`
alarm("unhealthy", "Microservices", "Healthy", {"service": "x"}, "LessThanThreshold", 1, stat="Minimum", periods=2)
put("Microservices", "Healthy", {"service": "x"}, [0], ago=60)
once = states()["unhealthy"]
put("Microservices", "Healthy", {"service": "x"}, [0])
twice = states()["unhealthy"]
print(json.dumps([once, twice]))
`),
    ).toEqual(['OK', 'ALARM']);
  });

  it('computes a percentile per period from the recorded values', () => {
    expect(
      scenario(`
alarm("p99", "Microservices", "Latency", {"service": "x"}, "GreaterThanThreshold", 3000, stat=None, ext="p99")
put("Microservices", "Latency", {"service": "x"}, [10] * 98 + [9000, 9000])
print(json.dumps(states()["p99"]))
`),
    ).toBe('ALARM');
  });

  it('treats missing data as the alarm says: not breaching goes back to OK once the metric stops', () => {
    expect(
      scenario(`
alarm("dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "q"}, "GreaterThanOrEqualToThreshold", 1)
alarm("strict", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "q"}, "GreaterThanOrEqualToThreshold", 1, treat="breaching")
put("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "q"}, [3], ago=120)
put("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "other"}, [0])
print(json.dumps(states()))
`),
    ).toEqual({ dlq: 'OK', strict: 'ALARM' });
  });
});
