import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * A vitest sequencer that runs the `listed` files first, in the order listed, then every other
 * file as vitest orders it (by the durations of earlier runs, else by size, largest first).
 *
 * On an e2e stack the files take turns, and the first one runs while every stack has just been
 * deployed and every function starts cold: a file mostly waiting on CloudWatch's minutes goes
 * first there, not one that sends hundreds of requests (the fuzz tier took 192 s first and 34 s
 * last). The order is also the same on every machine, with or without vitest's cache.
 */
export function listedOrder(listed: readonly string[]) {
  const rank = (spec: TestSpecification) => {
    const at = listed.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
    return at === -1 ? listed.length : at;
  };
  return class ListedOrder extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(files);
      return sorted
        .map((spec, at) => ({ spec, at }))
        .sort((a, b) => rank(a.spec) - rank(b.spec) || a.at - b.at)
        .map(({ spec }) => spec);
    }
  };
}
