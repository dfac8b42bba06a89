// The `__provider` text of the Heroku dynamic resources, built from our own sources instead of by Pulumi's closure
// serializer.
//
// Why: `pulumi.dynamic.Resource` serializes its provider object with `runtime.serializeFunction`, which walks
// every function the provider reaches (asking V8's inspector about each one's scope, re-parsing its source with
// TypeScript) and, for modules compiled to getter-based exports, every export of every module it touches. The
// SDK caches the result per provider object, but each of the eight Heroku providers still costs a full walk of
// mostly the same modules: that was most of a Heroku plan's time (seconds for ten services, where the AWS plan
// serializes nothing). Here each provider module's transitive relative imports are transpiled once per process
// (TypeScript's `transpileModule`, no type check; TypeScript is already loaded by @pulumi/pulumi) and wrapped in
// a tiny CommonJS module table, which the dynamic-provider host loads with `require-from-string` exactly like a
// serialized closure: `exports.handler()` returns the provider object.
//
// What the text holds: only the transpiled code of the modules the provider imports, keyed by their path
// relative to the repository root (never an absolute path), in a fixed order; so the same commit gives the same
// text from any checkout. Comments are dropped. Packages and Node built-ins are left to the host's `require`;
// provider modules import only types from `@pulumi/pulumi` and `@heroku-cli/schema` (erased here), and the tests
// check that the text requires no package at all. No value from the program's memory is captured, so no secret
// can be.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TypeScript from "typescript";

/** The repository root: module ids in the text are relative to it. */
const ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * Transpiled modules committed beside this file (`npm run build:heroku-providers` writes it), each with the
 * SHA-256 of the source it came from. A module whose source still has that hash is taken from here instead of
 * being transpiled (loading and warming up TypeScript is most of the remaining cost); any other is transpiled
 * as usual, so a stale file only costs time. The tests fail while it is stale.
 */
export const TRANSPILE_CACHE_FILE = "providers/heroku/resources/providerModules.generated.json";

/** One entry of {@link TRANSPILE_CACHE_FILE}. */
export interface CachedModule {
  /** SHA-256 (hex) of the TypeScript source. */
  sha256: string;
  /** CommonJS code. */
  code: string;
  /** Each relative specifier the code requires, to the module id it resolves to. */
  imports: Record<string, string>;
}

let committed: Record<string, CachedModule> | undefined;

function committedModules(): Record<string, CachedModule> {
  if (!committed) {
    try {
      committed = JSON.parse(fs.readFileSync(path.join(ROOT, TRANSPILE_CACHE_FILE), "utf8")) as Record<string, CachedModule>;
    } catch {
      committed = {};
    }
  }
  return committed;
}

/** Every Heroku provider object: its file in providers/heroku/resources (without `.ts`) and export name. */
export const HEROKU_PROVIDERS: readonly { file: string; exportName: string }[] = [
  "addon",
  "addonAttachment",
  "app",
  "configVars",
  "containerRelease",
  "domain",
  "formation",
  "logDrain",
].map((kind) => ({ file: `${kind}Provider`, exportName: `${kind}Provider` }));

/** The module id of a provider file. */
export function providerEntry(file: string): string {
  return `providers/heroku/resources/${file}.ts`;
}

/**
 * The content of {@link TRANSPILE_CACHE_FILE} for the sources as they are now: every module any provider
 * reaches, freshly transpiled, sorted by id.
 */
export function transpileCacheContent(): string {
  const ids = [...new Set(HEROKU_PROVIDERS.flatMap((p) => moduleGraph(providerEntry(p.file))))].sort();
  const entries = Object.fromEntries(ids.map((id) => [id, transpile(id, { ignoreCache: true })]));
  return `${JSON.stringify(entries, null, 1)}\n`;
}

/** SHA-256 (hex) of a text. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;

const transpiled = new Map<string, CachedModule>();
const texts = new Map<string, string>();

/** The module id (`providers/heroku/api/client.ts`) a relative specifier resolves to from `fromId`. */
function resolveId(fromId: string, specifier: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromId), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (fs.existsSync(path.join(ROOT, candidate))) return candidate;
  }
  throw new Error(`heroku provider text: cannot resolve "${specifier}" from ${fromId}`);
}

/** The module `id` (a path relative to the repository root) as CommonJS, from the committed cache when fresh. */
export function transpile(id: string, options: { ignoreCache?: boolean } = {}): CachedModule {
  const known = options.ignoreCache ? undefined : transpiled.get(id);
  if (known) return known;
  const source = fs.readFileSync(path.join(ROOT, id), "utf8");
  const hash = sha256(source);
  const cached = options.ignoreCache ? undefined : committedModules()[id];
  if (cached?.sha256 === hash) {
    transpiled.set(id, cached);
    return cached;
  }
  // TypeScript is a peer dependency of @pulumi/pulumi (it runs TypeScript programs and its closure serializer
  // parses with it), so it is present wherever this program is planned; required lazily, as Pulumi does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof TypeScript;
  const { outputText } = ts.transpileModule(source, {
    fileName: id,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      removeComments: true,
      esModuleInterop: false,
      sourceMap: false,
      inlineSourceMap: false,
    },
  });
  const imports: Record<string, string> = {};
  for (const match of outputText.matchAll(RELATIVE_REQUIRE)) {
    const specifier = match[1] as string;
    imports[specifier] = resolveId(id, specifier);
  }
  const result = { sha256: hash, code: outputText, imports };
  if (!options.ignoreCache) transpiled.set(id, result);
  return result;
}

/** `entry` and every module it reaches through relative imports, sorted by id. */
export function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const next of Object.values(transpile(id).imports)) visit(next);
  };
  visit(entry);
  return [...seen].sort();
}

/**
 * The `__provider` text for the provider object exported as `exportName` by the module `entry` (a path relative
 * to the repository root, e.g. `providers/heroku/resources/appProvider.ts`). Built once per process and entry.
 */
export function providerText(entry: string, exportName: string): string {
  const key = `${entry}#${exportName}`;
  const known = texts.get(key);
  if (known) return known;
  const modules = moduleGraph(entry).map((id) => {
    const { code, imports } = transpile(id);
    return `${JSON.stringify(id)}: [function (exports, require, module) {\n${code}\n}, ${JSON.stringify(imports)}]`;
  });
  const text = [
    '"use strict";',
    "// Heroku dynamic provider, built by providers/heroku/resources/providerText.ts from the modules below.",
    `const modules = {\n${modules.join(",\n")}\n};`,
    "const loaded = {};",
    "function load(id) {",
    "  if (loaded[id]) return loaded[id].exports;",
    "  const [factory, imports] = modules[id];",
    "  const module = { exports: {} };",
    "  loaded[id] = module;",
    "  factory(module.exports, (specifier) => (specifier in imports ? load(imports[specifier]) : require(specifier)), module);",
    "  return module.exports;",
    "}",
    `exports.handler = () => load(${JSON.stringify(entry)})[${JSON.stringify(exportName)}];`,
    "",
  ].join("\n");
  texts.set(key, text);
  return text;
}
