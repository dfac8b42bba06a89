/**
 * The sample app's web service (app/server.js) and its TLS decisions (app/lib/tls.js), tested without the `pg`
 * and `redis` drivers (they are installed only inside the app's image): health checks and the visit counter are
 * injected. Loading server.js here also proves it does not require a driver at load time.
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import * as path from "node:path";
import { after, describe, it } from "node:test";

interface Logger {
    log: (...args: unknown[]) => void;
    error: (...args: unknown[]) => void;
}

interface ServerModule {
    createServer(deps: {
        checks: Record<string, () => Promise<unknown>>;
        countVisit?: () => Promise<unknown>;
        checkTimeoutMs?: number;
        log?: Logger;
    }): Server;
}

type TlsMode = "disable" | "require-no-verify" | "verify-full";

interface TlsModule {
    postgresSettings(env: Record<string, string>): {
        connectionString: string;
        ssl: false | Record<string, unknown>;
        mode: TlsMode;
    };
    redisSettings(env: Record<string, string>): { url: string; socket: Record<string, unknown>; mode: TlsMode };
}

const APP_DIR = path.resolve(__dirname, "..", "..", "app");
// The app is plain CommonJS without typings: load it as Node will in the container, typed by the interfaces above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer } = require(path.join(APP_DIR, "server.js")) as ServerModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postgresSettings, redisSettings } = require(path.join(APP_DIR, "lib", "tls.js")) as TlsModule;

/** Collects what the server logs, so tests stay quiet and can assert on it. */
function captureLog(): Logger & { lines: string[] } {
    const lines: string[] = [];
    return { lines, log: (...a) => lines.push(a.join(" ")), error: (...a) => lines.push(a.join(" ")) };
}

const servers: Server[] = [];

/** Starts a server on an ephemeral 127.0.0.1 port; every server is closed after the suite. */
async function listen(deps: Parameters<ServerModule["createServer"]>[0]): Promise<string> {
    const server = createServer(deps);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.json() };
}

const healthy = async (): Promise<string> => "ok";
const refused = async (): Promise<never> => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:1");
};

void describe("app/server.js", () => {
    void after(async () => {
        await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });

    void describe("GET /health", () => {
        void it("answers 200 {ok:true} when every dependency answers", async () => {
            const base = await listen({ checks: { database: healthy, cache: healthy }, log: captureLog() });
            assert.deepEqual(await getJson(`${base}/health`), { status: 200, body: { ok: true } });
        });

        void it("answers 503 naming the failing dependency, without its error details", async () => {
            const log = captureLog();
            const base = await listen({ checks: { database: refused, cache: healthy }, log });
            const res = await getJson(`${base}/health`);
            assert.deepEqual(res, { status: 503, body: { ok: false, failed: ["database"] } });
            assert.ok(log.lines.some((l) => l.includes("database") && l.includes("ECONNREFUSED")), "details are logged");
        });

        void it("names every failing dependency, in declaration order", async () => {
            const base = await listen({ checks: { database: refused, cache: refused }, log: captureLog() });
            assert.deepEqual((await getJson(`${base}/health`)).body, { ok: false, failed: ["database", "cache"] });
        });

        void it("counts a check that throws synchronously as failed", async () => {
            const throwsNow = (): Promise<never> => {
                throw new Error("client is closed");
            };
            const base = await listen({ checks: { database: healthy, cache: throwsNow }, log: captureLog() });
            assert.deepEqual(await getJson(`${base}/health`), { status: 503, body: { ok: false, failed: ["cache"] } });
        });

        // The timeout only guards against a regression hanging CI; nothing here measures time.
        void it("counts a check that never answers as failed", { timeout: 10_000 }, async () => {
            const hangs = (): Promise<never> => new Promise<never>(() => {});
            const checks = { database: healthy, cache: hangs };
            const base = await listen({ checks, checkTimeoutMs: 50, log: captureLog() });
            assert.deepEqual(await getJson(`${base}/health`), { status: 503, body: { ok: false, failed: ["cache"] } });
        });
    });

    void describe("other routes", () => {
        void it("GET / returns what the visit counter returns", async () => {
            let calls = 0;
            const countVisit = async (): Promise<unknown> => ({ visits: ++calls, cached: false });
            const base = await listen({ checks: {}, countVisit, log: captureLog() });
            assert.deepEqual(await getJson(`${base}/`), { status: 200, body: { visits: 1, cached: false } });
            assert.deepEqual(await getJson(`${base}/`), { status: 200, body: { visits: 2, cached: false } });
        });

        void it("GET / answers 503 when the database fails", async () => {
            const base = await listen({ checks: {}, countVisit: refused, log: captureLog() });
            assert.deepEqual(await getJson(`${base}/`), { status: 503, body: { error: "database unavailable" } });
        });

        void it("rejects other methods and unknown paths", async () => {
            const base = await listen({ checks: {}, log: captureLog() });
            assert.equal((await getJson(`${base}/`, { method: "POST" })).status, 405);
            assert.equal((await getJson(`${base}/missing`)).status, 404);
        });
    });
});

void describe("app/lib/tls.js", () => {
    void describe("postgres", () => {
        void it("encrypts without verifying for a remote URL that says nothing (Heroku's DATABASE_URL)", () => {
            const s = postgresSettings({ DATABASE_URL: "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d" });
            assert.equal(s.mode, "require-no-verify");
            assert.deepEqual(s.ssl, { rejectUnauthorized: false });
        });

        void it("uses no TLS for a loopback host", () => {
            assert.equal(postgresSettings({ DATABASE_URL: "postgres://u@127.0.0.1:5432/d" }).ssl, false);
            assert.equal(postgresSettings({ DATABASE_URL: "postgres://u@localhost/d" }).ssl, false);
        });

        void it("reads sslmode with libpq's meaning and removes it from the URL handed to node-postgres", () => {
            const s = postgresSettings({ DATABASE_URL: "postgres://u:p@db.example.com:25060/d?sslmode=require&x=1" });
            assert.equal(s.mode, "require-no-verify");
            assert.equal(s.connectionString, "postgres://u:p@db.example.com:25060/d?x=1");
            const fromEnv = postgresSettings({ DATABASE_URL: "postgres://u@db.example.com/d", PGSSLMODE: "verify-full" });
            assert.equal(fromEnv.mode, "verify-full");
            assert.equal(postgresSettings({ DATABASE_URL: "postgres://u@db.example.com/d?sslmode=disable" }).ssl, false);
        });

        void it("lets DATABASE_SSL override, verifying against DATABASE_CA_CERT", () => {
            const s = postgresSettings({
                DATABASE_URL: "postgres://u@db.example.com/d?sslmode=require",
                DATABASE_SSL: "verify-full",
                DATABASE_CA_CERT: "-----BEGIN CERTIFICATE-----\n...",
            });
            assert.deepEqual(s.ssl, { rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----\n..." });
        });

        void it("refuses an unknown mode, and never echoes the URL", () => {
            assert.throws(
                () => postgresSettings({ DATABASE_URL: "postgres://u@h/d", DATABASE_SSL: "yes" }),
                /DATABASE_SSL must be one of/,
            );
            assert.throws(
                () => postgresSettings({ DATABASE_URL: "not a url with password hunter2" }),
                (err: Error) => !err.message.includes("hunter2"),
            );
        });
    });

    void describe("redis", () => {
        void it("uses no TLS for redis:// and a verified certificate for rediss://", () => {
            assert.deepEqual(redisSettings({ REDIS_URL: "redis://127.0.0.1:6379" }).socket, { tls: false });
            const secure = redisSettings({ REDIS_URL: "rediss://:pw@cache.example.com:6379" });
            assert.equal(secure.mode, "verify-full");
            assert.deepEqual(secure.socket, { tls: true, rejectUnauthorized: true });
        });

        void it("does not verify Heroku's self-signed certificates (DYNO is set on Heroku)", () => {
            const s = redisSettings({ REDIS_URL: "rediss://:pw@ec2-5-6-7-8.compute-1.amazonaws.com:7070", DYNO: "web.1" });
            assert.deepEqual(s.socket, { tls: true, rejectUnauthorized: false });
        });

        void it("aligns the URL scheme with an explicit REDIS_TLS, as node-redis requires", () => {
            const s = redisSettings({ REDIS_URL: "redis://cache.internal:6379", REDIS_TLS: "require-no-verify" });
            assert.equal(s.url, "rediss://cache.internal:6379");
            assert.equal(s.socket["tls"], true);
        });
    });
});
