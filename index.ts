/**
 * The sample app, declared once. Each stack's config (Pulumi.<stack>.yaml) picks where each part runs:
 * `pulumi config set --path 'multicloud:services.web.backend' heroku` moves the web service to Heroku.
 *
 * Sources are in ./app: a web service whose /health touches its database and cache, a migration run as the
 * release command, and a nightly clean-up job that runs the web service's image.
 */
import { deployApp } from "./components/app";

const app = deployApp({
  name: "sample",
  databases: {
    db: { engine: "postgres", version: "16", storageGiB: 20 },
  },
  caches: {
    cache: { engine: "valkey" },
  },
  services: {
    web: {
      image: { build: { context: "./app" } },
      port: 8080,
      healthCheck: { path: "/health" },
      release: ["node", "migrate.js"],
      links: ["db", "cache"],
      secrets: ["SESSION_SECRET"],
      env: { NODE_ENV: "production" },
    },
  },
  cronJobs: {
    cleanup: {
      image: { service: "web" },
      command: ["node", "jobs/cleanup.js"],
      schedule: "30 3 * * *",
      timezone: "UTC",
      links: ["db"],
    },
  },
});

/** Each web service's URL. */
export const urls = app.urls;
/** Which backend runs each part. */
export const backends = app.backends;
/** DNS records to create where your domains' DNS is hosted (certificate validation, CNAMEs). */
export const dnsRecords = app.dnsRecords;
