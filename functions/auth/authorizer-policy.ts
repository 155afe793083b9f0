/** `arn:...:apiId/stage/GET/tasks/x` -> `arn:...:apiId/stage/*`, so a cached decision covers every route. */
export function wholeStage(methodArn: string): string {
  return `${methodArn.split('/').slice(0, 2).join('/')}/*`;
}
