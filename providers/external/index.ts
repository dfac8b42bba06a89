/**
 * The `external` backend: a database or cache that lives elsewhere (a managed Redis, a hand-made Atlas cluster),
 * given by a URL in the stack's secret config. It creates nothing: the app only links to it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CACHE_ENGINES, DATABASE_ENGINES, EVICTION_POLICIES } from "../../components/spec";
import { SIZES } from "../../components/sizes";
import type { BackendDefinition, Problem } from "../backend";
import { NAMESPACE } from "../../stacks/schema";
import { strictObject } from "../../stacks/zod-helpers";

const urlSettings = strictObject({
  /**
   * The secret config key holding the connection URL.
   * @default `<NAME>_URL`, the part's name upper-cased with `-` as `_` (e.g. `CACHE_URL` for `cache`)
   */
  urlSecret: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an UPPER_CASE secret name").optional(),
});
type UrlSettings = z.infer<typeof urlSettings>;

const none = strictObject({});

export function urlSecretOf(name: string, settings: UrlSettings): string {
  return settings.urlSecret ?? `${name.toUpperCase().replace(/-/g, "_")}_URL`;
}

export const externalBackend: BackendDefinition = {
  name: "external",
  description: "a database or cache you run elsewhere, given by a URL in secret config",
  offers: {
    databases: { engines: DATABASE_ENGINES, sizes: SIZES },
    caches: { engines: CACHE_ENGINES, sizes: SIZES, evictionPolicies: EVICTION_POLICIES },
  },
  settings: { stack: none, service: none, cronJob: none, database: urlSettings, cache: urlSettings },

  validate(app): Problem[] {
    const parts = [
      ...app.databases.map((d) => ({ ...d, key: "databases" })),
      ...app.caches.map((c) => ({ ...c, key: "caches" })),
    ].filter((p) => p.backend === "external");
    return parts.flatMap((part) => {
      const secret = urlSecretOf(part.name, part.settings as UrlSettings);
      return app.secretsInConfig.has(secret) ? [] : [{
        path: `${NAMESPACE}:${secret}`,
        message: `${part.key}.${part.name} is external, and its URL secret ${secret} is not set in stack "${app.stack.stack}": run \`pulumi config set --secret ${secret} <url> -s ${app.stack.stack}\``,
      }];
    });
  },

  create() {
    const config = new pulumi.Config(NAMESPACE);
    const url = (name: string, settings: unknown) => ({ url: config.requireSecret(urlSecretOf(name, settings as UrlSettings)) });
    return {
      database: (spec) => url(spec.name, spec.settings),
      cache: (spec) => url(spec.name, spec.settings),
    };
  },
};
