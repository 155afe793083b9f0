import { build } from 'esbuild';
import * as path from 'node:path';
const ROOT = process.cwd();
const entries = { downcase: 'downcase/handler.ts', tasks: 'tasks/handler.ts', search: 'search/handler.ts', users:'users/handler.ts', movies:'movies/handler.ts', bookings:'bookings/handler.ts', auth:'auth/handler.ts', docs:'docs/handler.ts', authorizer:'auth/authorizer.ts', noop:'bench/noop.ts'};
const r = await build({ entryPoints: Object.fromEntries(Object.entries(entries).map(([n,e])=>[`${n}/index`, path.join(ROOT,'functions',e)])), outdir:'/tmp/wt10/out', bundle:true, platform:'node', target:'node20', format:'cjs', mainFields:['module','main'], minify:true, keepNames:true, metafile:true, logLevel:'error', logOverride:{'empty-import-meta':'silent'}, write:true});
for (const [out, o] of Object.entries(r.metafile.outputs)) {
  if (!out.endsWith('.js')) continue;
  const groups = {};
  for (const [file, i] of Object.entries(o.inputs)) {
    let key;
    const m = file.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
    key = m ? m[1] : 'project:' + file.split('/').slice(0,2).join('/');
    if (key.startsWith('@aws-sdk') || key.startsWith('@smithy') || key.startsWith('@aws-crypto')) key = key.startsWith('@aws-sdk/client-') || key==='@aws-sdk/lib-dynamodb' ? key : 'sdk-core(@aws-sdk/*,@smithy/*)';
    groups[key] = (groups[key]??0) + i.bytesInOutput;
  }
  const top = Object.entries(groups).sort((a,b)=>b[1]-a[1]).slice(0,10).map(([k,v])=>`${k}=${(v/1024).toFixed(0)}`).join(', ');
  console.log(out.replace(/^.*out\//,''), (o.bytes/1024).toFixed(0)+' KB |', top);
}
// detail for tasks
const o = r.metafile.outputs['/tmp/wt10/out/tasks/index.js'] ?? Object.entries(r.metafile.outputs).find(([k])=>k.endsWith('tasks/index.js'))[1];
const g = {};
for (const [file, i] of Object.entries(o.inputs)) { const m = file.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const k = m?m[1]:file; g[k]=(g[k]??0)+i.bytesInOutput; }
console.log(Object.entries(g).sort((a,b)=>b[1]-a[1]).slice(0,40).map(([k,v])=>`${k}=${(v/1024).toFixed(1)}`).join('\n'));
