#!/usr/bin/env node
/**
 * `npm run things:load -- file.geojson`: bulk-loads a GeoJSON FeatureCollection
 * into the search service through the API (`POST /things`), with progress.
 * Each feature needs `properties.name` and a Polygon or MultiPolygon geometry;
 * features that fail validation (here, or at the API) are reported with why.
 *
 *   API_TOKEN=<admin access token> npm run things:load -- places.geojson [--api <base URL>] [--concurrency 8]
 *
 * Adding things is for admins: API_TOKEN is the access token of an admin (from
 * `POST /auth/login`; see `npm run admin`). Without --api it targets the local
 * stack started by `npm start`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { thingInput } from '../functions/search/schema.js';
import { readDeployment } from '../lib/stack-outputs.js';
import { LOCAL_DEPLOYMENT_FILE } from '../localstack/deploy.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    api: { type: 'string' },
    deployment: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
  },
});

interface Rejection {
  feature: number;
  name?: string;
  reasons: string[];
}

function fail(message: string): never {
  process.stderr.write(`[load] ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const file = positionals[0] ?? fail('usage: npm run things:load -- file.geojson [--api URL]');
  const api = args.api ?? readDeployment(args.deployment ?? LOCAL_DEPLOYMENT_FILE).apiBaseUrl;
  const token =
    process.env.API_TOKEN ?? fail('set API_TOKEN to the access token of an admin (POST /auth/login)');
  let collection: unknown;
  try {
    collection = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const features = (collection as { type?: string; features?: unknown[] }).features;
  if ((collection as { type?: string }).type !== 'FeatureCollection' || !Array.isArray(features)) {
    fail(`${file} is not a GeoJSON FeatureCollection`);
  }

  const rejected: Rejection[] = [];
  let loaded = 0;
  let next = 0;
  const progress = () =>
    process.stderr.write(
      `\r[load] ${loaded + rejected.length}/${features.length} (${loaded} loaded, ${rejected.length} rejected)`,
    );

  const load = async (index: number) => {
    const feature = features[index] as { properties?: { name?: unknown }; geometry?: unknown } | null;
    const name = typeof feature?.properties?.name === 'string' ? feature.properties.name : undefined;
    const input = thingInput.safeParse({ name: feature?.properties?.name, geometry: feature?.geometry });
    if (!input.success) {
      rejected.push({
        feature: index,
        name,
        reasons: input.error.issues.map((i) => `${i.path.join('.') || 'feature'}: ${i.message}`),
      });
      return;
    }
    const response = await fetch(new URL('things', api), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input.data),
    });
    if (response.status === 201) {
      loaded += 1;
    } else {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      rejected.push({
        feature: index,
        name,
        reasons: [`HTTP ${response.status}: ${body.message ?? 'no message'}`],
      });
    }
  };

  const workers = Array.from({ length: Math.max(1, Number(args.concurrency)) }, async () => {
    while (next < features.length) {
      const index = next++;
      await load(index);
      progress();
    }
  });
  await Promise.all(workers);
  process.stderr.write('\n');

  console.log(`loaded ${loaded} of ${features.length} features into ${api}`);
  if (rejected.length > 0) {
    console.log(`rejected ${rejected.length}:`);
    for (const r of rejected.sort((a, b) => a.feature - b.feature)) {
      console.log(`  feature ${r.feature}${r.name ? ` (${r.name})` : ''}: ${r.reasons.join('; ')}`);
    }
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
