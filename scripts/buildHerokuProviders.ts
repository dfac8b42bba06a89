/**
 * `npm run build:heroku-providers`: rewrites providers/heroku/resources/providerModules.generated.json, the
 * committed transpile cache the Heroku provider texts are built from (see providerText.ts). Run it after changing
 * any module a Heroku provider imports; the tests fail while the file is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TRANSPILE_CACHE_FILE, transpileCacheContent } from "../providers/heroku/resources/providerText";

const target = path.resolve(__dirname, "..", TRANSPILE_CACHE_FILE);
fs.writeFileSync(target, transpileCacheContent());
console.log(`wrote ${TRANSPILE_CACHE_FILE}`);
