/**
 * The DigitalOcean backend's pieces under Pulumi's mock runtime (not preview): the URLs the one App hands back once
 * `finish()` ran, links to DigitalOcean clusters as TLS URLs, firewalls; and its pure parts: validation, cost,
 * command quoting, DOCR credentials.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { deployApp } from "../../components/app";
import type { AppSpec } from "../../components/spec";
import type { DatabaseSpec, WebServiceSpec } from "../../providers/backend";
import { shellJoin } from "../../providers/digitalocean/appSpec";
import { estimateDigitaloceanCost } from "../../providers/digitalocean/cost";
import { registryLogin } from "../../providers/digitalocean/image";
import { validateDigitalocean } from "../../providers/digitalocean/validate";
import { recordResources, resolvedApp, reveal, stackInfo, webServiceSpec } from "../support/mocks";

const APP: AppSpec = {
  name: "shop",
  databases: { db: { engine: "postgres", version: "16" } },
  caches: { cache: { engine: "valkey" } },
  services: {
    web: { image: { ref: "ghcr.io/shop/web:1" }, port: 8080, healthCheck: { path: "/health" }, links: ["db", "cache", "api"] },
    api: { image: { ref: "ghcr.io/shop/api:1" }, port: 3000, public: false, links: ["db"] },
    admin: { image: { ref: "ghcr.io/shop/admin:1" }, port: 8081 },
  },
};

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("one App per stack, URLs once it exists", () => {
  it("gives public services the App's URL and path, private ones their internal address, links as TLS URLs", async () => {
    let urls: Record<string, pulumi.Output<string>> = {};
    let dns: Record<string, pulumi.Output<unknown[]>> = {};
    const rec = await recordResources(
      () => {
        const app = deployApp(APP);
        urls = app.urls;
        dns = app.dnsRecords;
      },
      {
        config: {
          "multicloud:backend": "digitalocean",
          "multicloud:services": JSON.stringify({ admin: { domains: ["admin.shop.example"] } }),
        },
        state: ({ type, inputs }) => {
          if (type === "digitalocean:index/app:App") return { liveUrl: "https://shop-staging-x1y2z.ondigitalocean.app", defaultIngress: "https://shop-staging-x1y2z.ondigitalocean.app" };
          if (type === "digitalocean:index/databaseCluster:DatabaseCluster") {
            return { host: `${String(inputs.name)}-do-user-1.db.ondigitalocean.com`, port: 25060, uri: `rediss://default:pw@${String(inputs.name)}.db.ondigitalocean.com:25061` };
          }
          if (type === "digitalocean:index/databaseUser:DatabaseUser") return { password: "user-pw/1" };
          if (type === "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials") {
            return { dockerCredentials: JSON.stringify({ auths: { "registry.digitalocean.com": { auth: Buffer.from("tok:tok").toString("base64") } } }) };
          }
          return undefined;
        },
      },
    );
    assert.equal(rec.ofType("digitalocean:index/app:App").length, 1);
    // Two public services: each on its own path of the App's URL, the custom domain first.
    assert.equal(await valueOf(urls.web!), "https://shop-staging-x1y2z.ondigitalocean.app/web");
    assert.equal(await valueOf(urls.admin!), "https://admin.shop.example");
    assert.equal(await valueOf(urls.api!), "http://api:3000");
    assert.deepEqual(await valueOf(dns.admin!), [{
      name: "admin.shop.example", type: "CNAME", value: "shop-staging-x1y2z.ondigitalocean.app",
      purpose: "point admin.shop.example at the App (App Platform then issues its TLS certificate); an apex domain needs ALIAS/ANAME or DigitalOcean DNS",
    }]);
    const spec = reveal<{ services: { name: string; envs: { key: string; value: string }[] }[] }>(rec.one("digitalocean:index/app:App").inputs.spec);
    const webEnv = new Map(spec.services.find((s) => s.name === "web")!.envs.map((e) => [e.key, e.value]));
    assert.equal(webEnv.get("DATABASE_URL"), "postgresql://shop:user-pw%2F1@shop-test-db-do-user-1.db.ondigitalocean.com:25060/shop?sslmode=require");
    assert.match(webEnv.get("REDIS_URL") ?? "", /^rediss:\/\//);
    // Both clusters are linked by the App: each firewall trusts it, and only it.
    for (const fw of rec.ofType("digitalocean:index/databaseFirewall:DatabaseFirewall")) {
      assert.deepEqual(reveal(fw.inputs.rules), [{ type: "app", value: rec.one("digitalocean:index/app:App").id }]);
    }
  });
});

const svc = (o: Partial<WebServiceSpec> & { name: string }) => webServiceSpec({ backend: "digitalocean", ...o });
const pg = (o: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name: "db", backend: "digitalocean", engine: "postgres", size: "nano", storageGiB: 10, extensions: [], backups: { retentionDays: 7 }, settings: {}, ...o,
});

describe("validation beyond offers", () => {
  it("refuses a service name App Platform rejects, with the key and the backends that can", () => {
    const problems = validateDigitalocean(resolvedApp({ services: [svc({ name: "Web_API" })] }));
    assert.equal(problems[0]?.path, "app.services.Web_API");
    assert.match(problems[0]!.message, /2-32 lowercase letters.*aws or heroku/);
  });

  it("refuses two public services on one route path", () => {
    const problems = validateDigitalocean(resolvedApp({
      services: [svc({ name: "shop", settings: { routePath: "/x" } }), svc({ name: "cart", settings: { routePath: "/x" } })],
    }));
    assert.deepEqual(problems.map((p) => p.path), ["multicloud:services.cart.digitalocean.routePath"]);
  });

  it("refuses a Postgres major DigitalOcean does not run, naming those it does", () => {
    const problems = validateDigitalocean(resolvedApp({ databases: [pg({ version: "12" })] }));
    assert.equal(problems[0]?.path, "app.databases.db.version");
    assert.match(problems[0]!.message, /13, 14, 15, 16, 17; got "12"/);
    assert.deepEqual(validateDigitalocean(resolvedApp({ databases: [pg({ version: "16" })] })), []);
  });
});

describe("cost", () => {
  it("prices production MongoDB as a 3-node replica set, and an unknown slug as a note", () => {
    const estimate = estimateDigitaloceanCost(resolvedApp({
      stack: stackInfo({ tier: "production" }),
      databases: [pg({ engine: "mongodb", size: "nano" })],
      services: [svc({ name: "web", settings: { instanceSizeSlug: "apps-d-16vcpu-64gb" } })],
    }));
    assert.deepEqual(estimate.lines, [{ part: "db", item: "mongodb 3 x db-s-1vcpu-2gb", monthlyUsd: 90 }]);
    assert.ok(estimate.notes.some((n) => n.includes("apps-d-16vcpu-64gb")));
  });
});

describe("helpers", () => {
  it("quotes a command for run_command", () => {
    assert.equal(shellJoin(["node", "migrate.js"]), "node migrate.js");
    assert.equal(shellJoin(["sh", "-c", "echo it's done"]), `sh -c 'echo it'\\''s done'`);
  });

  it("reads push credentials from DOCR's Docker config JSON", () => {
    const json = JSON.stringify({ auths: { "registry.digitalocean.com": { auth: Buffer.from("a@b.c:dop_v1_x:y").toString("base64") } } });
    assert.deepEqual(registryLogin(json), { username: "a@b.c", password: "dop_v1_x:y" });
    assert.throws(() => registryLogin("{}"), /no auth for registry.digitalocean.com/);
  });
});
