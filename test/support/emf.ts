/**
 * The EMF documents Powertools Metrics writes to stdout, caught on their way
 * there: unit tests read exactly what a function would hand CloudWatch, and
 * the test report is not cluttered with them. The unit project's setup file
 * (test/support/unit-setup.ts) installs the catch before each test file.
 */

/** One EMF document, as Powertools writes it (one line of JSON). */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

const caught: EmfDocument[] = [];
let installed = false;

const isEmf = (line: string) => line.startsWith('{"_aws":');

/** Keeps the EMF lines written to stdout from now on (others pass through); installing twice changes nothing. */
export function catchEmf(): void {
  if (installed) return;
  installed = true;
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    if (lines.length === 0 || !lines.every(isEmf)) return write(chunk, ...rest);
    caught.push(...lines.map((line) => JSON.parse(line) as EmfDocument));
    return true;
  }) as typeof process.stdout.write;
}

/** The EMF documents among log `lines` (a line that is not one, such as a log line naming a metric, is left out). */
export function emfDocumentsIn(lines: readonly string[]): EmfDocument[] {
  return lines.flatMap((line) => {
    try {
      const document = JSON.parse(line) as EmfDocument;
      return document._aws?.CloudWatchMetrics ? [document] : [];
    } catch {
      return [];
    }
  });
}

/** The EMF documents written since the last call, oldest first. */
export function takeEmf(): EmfDocument[] {
  return caught.splice(0);
}

/**
 * Every value of `metric` recorded under exactly the dimension set
 * `dimensions` (its names, with those values), across `documents`: a
 * document's list of values counts as that many values.
 */
export function valuesOf(
  documents: readonly EmfDocument[],
  metric: string,
  dimensions: Readonly<Record<string, string>>,
): number[] {
  const names = Object.keys(dimensions).sort().join(',');
  return documents.flatMap((document) => {
    const [directive] = document._aws.CloudWatchMetrics;
    if (!directive?.Metrics.some((m) => m.Name === metric)) return [];
    if (!directive.Dimensions.some((set) => [...set].sort().join(',') === names)) return [];
    if (!Object.entries(dimensions).every(([name, value]) => document[name] === value)) return [];
    const value = document[metric] as number | number[];
    return Array.isArray(value) ? value : [value];
  });
}

/** The sum of {@link valuesOf}: what CloudWatch's Sum statistic would give. */
export const sumOf = (...args: Parameters<typeof valuesOf>): number =>
  valuesOf(...args).reduce((sum, value) => sum + value, 0);
