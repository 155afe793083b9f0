import { bundleDirectory } from '../lib/function-bundles.js';
console.time('build'); console.log(bundleDirectory('downcase')); console.timeEnd('build');
