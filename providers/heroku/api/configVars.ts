// Config vars: https://devcenter.heroku.com/articles/platform-api-reference#config-vars
import type { ConfigVars } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";

/** All config vars of the app (values are secrets: never log them). */
export async function getConfigVars(app: string): Promise<ConfigVars> {
  return (await herokuRequest<ConfigVars>({ method: "GET", path: `/apps/${segment(app)}/config-vars` })).body ?? {};
}

/**
 * Sets (string) and removes (null) config vars in ONE call: each call makes a release and runs the release
 * phase, so changes must be batched. Keys not listed are left alone. Returns all vars after the change.
 */
export async function patchConfigVars(app: string, changes: Record<string, string | null>): Promise<ConfigVars> {
  return (
    await herokuRequest<ConfigVars>({ method: "PATCH", path: `/apps/${segment(app)}/config-vars`, body: changes })
  ).body ?? {};
}
