/**
 * A database connection URL (`postgres://user:password@host:port/db?...`, `mysql://...`) split into the fields an
 * API that connects to it by itself wants (DigitalOcean's online migration source). The one place such URLs are
 * parsed. Errors never repeat the URL: it holds a password.
 */
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
