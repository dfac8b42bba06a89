/**
 * DigitalOcean's online migration during a move into DigitalOcean (`movedFrom` + `digitalocean.onlineMigration`),
 * under Pulumi's mock runtime: the migration's source comes from the old copy's URL, its password secret; nothing
 * without the setting; the setting refused without a move or on MongoDB.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployApp } from "../../components/app";
import type { AppSpec } from "../../components/spec";
import { isSecret, recordResources, reveal } from "../support/mocks";

const OLD_URL = "postgres://u%40old:p%2Fw@old-db.example.com:6543/shopdb?sslmode=require";
const app = (engine: "postgres" | "mongodb"): AppSpec => ({ name: "shop", databases: { db: { engine } } });
const MIGRATION = "digitalocean:index/databaseOnlineMigration:DatabaseOnlineMigration";

function run(spec: AppSpec, db: Record<string, unknown>) {
  return recordResources(() => deployApp(spec), {
    config: { "multicloud:databases": JSON.stringify({ db }), "multicloud:DB_URL": OLD_URL },
    secretConfigKeys: ["multicloud:DB_URL"],
    state: ({ type }) => type === "digitalocean:index/databaseCluster:DatabaseCluster" ? { host: "db.ondigitalocean.com", port: 25060 } : undefined,
  });
}

describe("DigitalOcean online migration during a move", () => {
  it("copies from the old copy's URL into the new cluster, the password secret", async () => {
    const rec = await run(app("postgres"), { backend: "digitalocean", movedFrom: "external", digitalocean: { onlineMigration: true } });
    const migration = rec.one(MIGRATION);
    const cluster = rec.one("digitalocean:index/databaseCluster:DatabaseCluster");
    assert.equal(migration.inputs.clusterId, cluster.id);
    assert.ok(isSecret(migration.inputs.source), "the source (with its password) is a secret");
    assert.deepEqual(reveal(migration.inputs.source), { host: "old-db.example.com", port: 6543, dbName: "shopdb", username: "u@old", password: "p/w" });
    assert.ok(migration.options.additionalSecretOutputs?.includes("source"));
    assert.equal(migration.options.retainOnDelete, undefined, "removing movedFrom stops the migration");
    assert.equal(migration.parent?.name, "db", "parented to the database component");
    assert.match(migration.parent?.type ?? "", /:Database$/);
  });

  it("says DigitalOcean is copying the data, instead of the pg_dump steps", async () => {
    const rec = await run(app("postgres"), { backend: "digitalocean", movedFrom: "external", digitalocean: { onlineMigration: true } });
    const notice = rec.warnings.find((w) => w.includes("databases.db is moving from external to digitalocean"));
    assert.ok(notice, rec.warnings.join("\n"));
    assert.match(notice, /online migration .* is copying the data in/);
    assert.doesNotMatch(notice, /pg_dump/);
  });

  it("registers no migration without the setting, and prints the pg_dump | pg_restore steps", async () => {
    const rec = await run(app("postgres"), { backend: "digitalocean", movedFrom: "external" });
    assert.equal(rec.ofType(MIGRATION).length, 0);
    assert.ok(rec.warnings.some((w) => w.includes("databases.db is moving") && w.includes("pg_dump")), rec.warnings.join("\n"));
  });

  it("refuses the setting without a move, naming the key", async () => {
    await assert.rejects(run(app("postgres"), { backend: "digitalocean", digitalocean: { onlineMigration: true } }),
      /multicloud:databases\.db\.digitalocean\.onlineMigration[\s\S]*not moving/);
  });

  it("refuses the setting on MongoDB, naming the key", async () => {
    await assert.rejects(run(app("mongodb"), { backend: "digitalocean", movedFrom: "external", digitalocean: { onlineMigration: true } }),
      /multicloud:databases\.db\.digitalocean\.onlineMigration[\s\S]*mongodb/);
  });
});
