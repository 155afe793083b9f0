/**
 * Login with the per-email throttle on (functions/auth/domain/login-throttle.ts):
 * p50 of successful logins (the throttle reads, counts the attempt in advance
 * and forgets it again around Cognito's check), of logins refused while an
 * email is blocked (the throttle alone answers, Cognito is not asked), and of
 * the public no-op route in the same run as the floor.
 */
import type { Deployment } from '../../lib/stack-outputs.js';
import { PASSWORD } from '../support/people.js';
import { benchPerson } from './people.js';
import { httpLoad, percentile } from './stats.js';

const LOGINS = 100;

async function timedLogins(url: string, body: string, count: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - t0);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses };
}

export async function loginBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const login = `${deployment.apiBaseUrl}auth/login`;
  const person = await benchPerson(deployment);
  const blocked = await benchPerson(deployment);
  const right = JSON.stringify({ email: person.email, password: PASSWORD });
  await timedLogins(login, right, 5); // warm
  const noop = await httpLoad(`${deployment.apiBaseUrl}bench/noop`, 1, LOGINS);
  const succeeded = await timedLogins(login, right, LOGINS);
  // Five wrong passwords block the other person's email; each further attempt is refused (429).
  await timedLogins(login, JSON.stringify({ email: blocked.email, password: 'Wr0ng-password!' }), 5);
  const refused = await timedLogins(
    login,
    JSON.stringify({ email: blocked.email, password: PASSWORD }),
    LOGINS,
  );

  console.log(`\nlogin with the per-email throttle on (1 client, ${LOGINS} each)`);
  console.log('  request                        | p50        | p99');
  for (const [label, run] of [
    ['public no-op (floor)', noop],
    ['login, right password (200)', succeeded],
    ['login, email blocked (429)', refused],
  ] as const) {
    console.log(
      `  ${label.padEnd(30)} | ${run.p50.toFixed(1).padStart(7)} ms | ${run.p99.toFixed(1).padStart(7)} ms`,
    );
  }
  check('login: every login with the right password answered 200', succeeded.statuses.get(200) === LOGINS);
  check('login: every attempt on a blocked email answered 429', refused.statuses.get(429) === LOGINS);
}
