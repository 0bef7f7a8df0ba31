// Launcher: `node index` runs the compiled server (built by `npm install` through the prepare script).
require('./dist/main.js');
