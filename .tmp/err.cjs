process.env.LOG_FEED_TOPIC_ARN='x';
const dir = require('fs').readdirSync('.build/functions').find(n=>!n.includes('.json'));
try { require(`../.build/functions/${dir}/downcase/index.js`) } catch (e) { console.log(e.stack) }
