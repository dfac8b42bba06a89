// Custom domains: https://devcenter.heroku.com/articles/platform-api-reference#domain
import type { Domain } from "@heroku-cli/schema";
import { herokuRequest, segment } from "./client";
import { isNotFound } from "./errors";

/** Adds a custom domain; the answer's `cname` is the DNS target to point the hostname at. */
export async function createDomain(app: string, hostname: string): Promise<Domain> {
  return (
    await herokuRequest<Domain>({
      method: "POST",
      path: `/apps/${segment(app)}/domains`,
      // sni_endpoint null: with ACM, Heroku picks the certificate itself.
      body: { hostname, sni_endpoint: null },
    })
  ).body;
}

/** The domain by id or hostname, or undefined on 404. */
export async function findDomain(app: string, domain: string): Promise<Domain | undefined> {
  try {
    return (await herokuRequest<Domain>({ method: "GET", path: `/apps/${segment(app)}/domains/${segment(domain)}` })).body;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Removes the domain. Returns false when it was already gone (404). */
export async function deleteDomain(app: string, domain: string): Promise<boolean> {
  try {
    await herokuRequest<Domain>({ method: "DELETE", path: `/apps/${segment(app)}/domains/${segment(domain)}` });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
