const mode = process.argv[2];
if (mode === 'before') process.setSourceMapsEnabled(true);
const m = require('./out/index.js');
if (mode === 'after') process.setSourceMapsEnabled(true);
try { m.boom(); } catch (e) { console.log(mode, e.stack.split('\n')[1]); }
