import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** An API Gateway REST proxy event for unit tests of handlers. */
export function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'GET',
    resource: '/',
    path: '/',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

export const lambdaContext = {
  functionName: 'unit-test',
  functionVersion: '$LATEST',
  awsRequestId: 'aws-req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:unit-test',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 10_000,
} as Context;
