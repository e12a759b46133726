// The addon built at install (node-gyp), or null where it could not be built: the caller keeps the plain path.
'use strict';
let addon = null;
try {
  addon = require('./build/Release/quickack.node');
} catch {
  addon = null;
}
module.exports = { setQuickAck: addon ? addon.setQuickAck : null };
