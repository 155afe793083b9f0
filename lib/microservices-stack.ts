import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { rpcJanitorService } from '../functions/rpc-janitor/service.js';
import { SERVICES } from '../functions/services.js';
import type { AnyService } from '../functions/shared/service.js';
import { StackAlarms } from './alarms.js';
import { OperationsDashboard } from './dashboard.js';
import {
  allowDeclaredCalls,
  DeclaredService,
  type SharedResources,
  usesListCursors,
  usesRpc,
  usesWebSocket,
} from './declared-service.js';
import { allowHealthChecks } from './health-checks.js';
import { HttpApi } from './http-api.js';
import { Identity } from './identity.js';
import { ListCursorSecret } from './list-cursor-secret.js';
import { LiveSettings } from './live-settings.js';
import { LogFeed } from './log-feed.js';
import { acceptNagFindings } from './nag-suppressions.js';
import { RpcMachinery } from './rpc.js';
import { ApiWebAcl } from './web-acl.js';
import { FeedWebSocketApi } from './web-socket-api.js';

export interface MicroservicesStackProps extends StackProps {
  /** Adds the no-op route `npm run bench` measures the emulator's floor with. */
  benchRoutes?: boolean;
  /** Lets the fault tests crash functions declared with `faultPoints` (the e2e deployment only). */
  faults?: boolean;
  /** Makes every function log the AWS requests it makes, for the bench's cost section (functions/shared/request-counting.ts). */
  countRequests?: boolean;
  /** The declared services (default: functions/services.ts), each deployed from its declaration alone. */
  services?: readonly AnyService[];
  /** Puts a WAF web ACL with per-IP rate limits on the API's stage (AWS only: see lib/web-acl.ts). */
  webAcl?: boolean;
}

/**
 * The whole system: the shared resources (the API, the log feed, the
 * identity, the dashboard, the alarms' topic; the RPC machinery, the WebSocket API and the
 * list cursor secret when a declaration uses them), then every declared service from its
 * declaration, the same way, then the dashboard's widgets and the alarms on them all, the
 * health checks' grants and the live settings every function reads.
 */
export class MicroservicesStack extends Stack {
  constructor(scope: Construct, id: string, props: MicroservicesStackProps = {}) {
    super(scope, id, props);
    const declared = (props.services ?? SERVICES).filter((s) => !s.benchOnly || props.benchRoutes);
    const rpc = declared.some(usesRpc) ? new RpcMachinery(this, 'rpc') : undefined;
    const shared: SharedResources = {
      api: new HttpApi(this, 'http-api'),
      logFeed: new LogFeed(this, 'log-feed'),
      identity: new Identity(this, 'identity'),
      alarms: new StackAlarms(this, 'alarms'),
      ...(rpc ? { rpc } : {}),
      ...(declared.some(usesWebSocket) ? { webSocket: new FeedWebSocketApi(this, 'web-socket-api') } : {}),
      ...(declared.some(usesListCursors) ? { listCursors: new ListCursorSecret(this, 'list-cursors') } : {}),
      dashboard: new OperationsDashboard(this, 'dashboard'),
      faults: props.faults ?? false,
      countRequests: props.countRequests ?? false,
    };
    // The RPC machinery's janitor is a declared function like any other.
    const services = rpc ? [...declared, rpcJanitorService] : declared;
    const deployed = services.map(
      (service) => new DeclaredService(this, `${service.name}-service`, service, shared),
    );
    allowDeclaredCalls(deployed, rpc);
    // Last, once every service and queue exists: the dashboard draws them all, the alarms watch them all.
    shared.dashboard.draw(services, this);
    shared.alarms.watch(services, this);
    allowHealthChecks(deployed);
    new LiveSettings(this, 'live-settings', {
      services: services.map((s) => s.name),
      rpc: Boolean(rpc),
    }).allowReads(deployed);
    if (props.webAcl) new ApiWebAcl(this, 'api-web-acl', shared.api.api.deploymentStage);
    acceptNagFindings(this);
  }
}
