/**
 * The local CloudWatch agent as a process of its own, for a stack that
 * outlives the command that started it (`npm run stack:start`):
 * `node --import tsx localstack/metrics-agent/main.ts <endpoint> <stack pid>`.
 * It ends when the stack's process is gone.
 */
import { startMetricsAgent } from './index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const [endpoint, pid] = process.argv.slice(2);
if (!endpoint || !Number(pid)) {
  console.error('usage: main.ts <endpoint> <stack pid>');
  process.exit(2);
}
const agent = startMetricsAgent(endpoint);
const alive = () => {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
};
const watch = setInterval(() => {
  if (alive()) return;
  clearInterval(watch);
  void agent.stop().then(() => process.exit(0));
}, 2_000);
