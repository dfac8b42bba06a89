/**
 * A database connection URL (`postgres://user:password@host:port/db?...`, `mysql://...`) split into the fields an
 * API that connects to it by itself wants (DigitalOcean's online migration source). The one place such URLs are
 * parsed, as are the pieces of a linked part's URL a link injects (`linkPieces`). Errors never repeat the URL: it
 * holds a password.
 */
import type { LinkPart } from "../components/spec";

export interface ConnectionFields {
  host: string;
  port: number;
  /** The database name: the URL's path without its leading "/". */
  database: string;
  username: string;
  password: string;
}

/**
 * Parses `url` with the WHATWG URL parser (user and password percent-decoded). `defaultPort` is used when the URL
 * names none (e.g. 5432 for PostgreSQL). Throws on a URL without a host, user or database name.
 */
export function parseConnectionUrl(url: string, defaultPort: number, what: string): ConnectionFields {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what}: the connection URL is not a URL (its text is not shown: it holds a password)`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const missing = [!parsed.hostname && "host", !parsed.username && "user", !database && "database name"].filter(Boolean);
  if (missing.length) throw new Error(`${what}: the connection URL has no ${missing.join(", ")}`);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : defaultPort,
    database,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** Ports a URL of each scheme means when it names none. */
const DEFAULT_PORTS: Record<string, number> = {
  "postgres:": 5432,
  "postgresql:": 5432,
  "mysql:": 3306,
  "mongodb:": 27017,
  "redis:": 6379,
  "rediss:": 6379,
  "http:": 80,
  "https:": 443,
};

/** The pieces of a connection URL a link can inject on its own (`Link.env`), as strings for env vars. */
export type LinkPieces = Record<LinkPart, string>;

/**
 * Splits a linked part's URL into the pieces a link can inject: user and password percent-decoded, the database the
 * path without its "/", the port the scheme's default when the URL names none. A piece the URL lacks (a cache
 * without a user) is the empty string. Throws, without the URL (it holds a password), when `url` is not a URL.
 */
export function linkPieces(url: string, what: string): LinkPieces {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what}: the connection URL is not a URL (its text is not shown: it holds a password)`);
  }
  const port = parsed.port || String(DEFAULT_PORTS[parsed.protocol] ?? "");
  return {
    url,
    host: parsed.hostname,
    port,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
  };
}
