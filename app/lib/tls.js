'use strict';
/**
 * Decides how the app talks TLS to Postgres and Redis/Valkey, from the environment alone (no drivers, no I/O),
 * so the same rules apply to the web service, the release command and the cron job, and can be unit-tested.
 *
 * Modes, for DATABASE_SSL and REDIS_TLS:
 *   disable            plain TCP
 *   require-no-verify  TLS, the server's certificate is not verified (encrypted, but not protected against an
 *                      active man-in-the-middle)
 *   verify-full        TLS, certificate verified against DATABASE_CA_CERT / REDIS_CA_CERT (PEM) when given,
 *                      else against Node's public CA store
 *
 * Why Postgres defaults to require-no-verify for any non-loopback host: Heroku Postgres refuses plaintext but puts
 * no sslmode in DATABASE_URL, and none of Heroku, RDS or DigitalOcean presents a certificate that chains to a
 * public CA, so verifying without the provider's CA bundle fails every connection. Encrypting is always possible;
 * verifying needs DATABASE_SSL=verify-full plus DATABASE_CA_CERT (e.g. the RDS global bundle).
 * Why Redis defaults to verify-full for rediss://: ElastiCache's certificates chain to Amazon's public CA; except on
 * Heroku (DYNO is set in every dyno), whose Key-Value Store presents self-signed certificates. Any other provider
 * whose certificates do not chain to a public CA needs REDIS_CA_CERT (or REDIS_TLS).
 */

const MODES = ['disable', 'require-no-verify', 'verify-full'];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * TLS-related query parameters node-postgres would otherwise read from the URL. pg lets the URL's values override
 * the explicit `ssl` option, and treats `sslmode=require` as verify-full (not libpq's "encrypt only"), which would
 * break DigitalOcean's `?sslmode=require` URIs; so they are removed and the decision is made here.
 */
const PG_TLS_PARAMS = ['sslmode', 'ssl', 'uselibpqcompat', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword'];

/** Validates an explicit mode from the environment. */
function parseMode(variable, value) {
  if (!MODES.includes(value)) {
    throw new Error(`${variable} must be one of ${MODES.join(', ')} (got "${value}")`);
  }
  return value;
}

/** libpq's sslmode, mapped to a mode. `allow`/`prefer` cannot fall back to plaintext in node-postgres, so they
 * require TLS; `no-verify` is node-postgres's own spelling. */
function modeFromSslmode(sslmode) {
  switch (sslmode) {
    case 'disable':
      return 'disable';
    case 'allow':
    case 'prefer':
    case 'require':
    case 'no-verify':
      return 'require-no-verify';
    case 'verify-ca':
    case 'verify-full':
      return 'verify-full';
    default:
      throw new Error(`unsupported sslmode "${sslmode}"`);
  }
}

/** Node `tls.connect` options for a mode. */
function tlsOptions(mode, caPem) {
  if (mode === 'disable') return false;
  if (mode === 'require-no-verify') return { rejectUnauthorized: false };
  return caPem ? { rejectUnauthorized: true, ca: caPem } : { rejectUnauthorized: true };
}

function requireUrl(env, variable) {
  const raw = env[variable];
  if (!raw) throw new Error(`${variable} is not set`);
  try {
    return new URL(raw);
  } catch {
    // Never echo the value: it holds a password.
    throw new Error(`${variable} is not a valid URL`);
  }
}

/**
 * node-postgres connection settings: `{ connectionString, ssl, mode }`.
 * Precedence: DATABASE_SSL, then `sslmode` in DATABASE_URL, then PGSSLMODE, then loopback host => disable,
 * anything else => require-no-verify.
 */
function postgresSettings(env) {
  const url = requireUrl(env, 'DATABASE_URL');
  const sslmode = url.searchParams.get('sslmode') || env.PGSSLMODE;
  for (const param of PG_TLS_PARAMS) url.searchParams.delete(param);

  let mode;
  if (env.DATABASE_SSL) mode = parseMode('DATABASE_SSL', env.DATABASE_SSL);
  else if (sslmode) mode = modeFromSslmode(sslmode);
  else mode = LOOPBACK_HOSTS.has(url.hostname) ? 'disable' : 'require-no-verify';

  return { connectionString: url.toString(), ssl: tlsOptions(mode, env.DATABASE_CA_CERT), mode };
}

/**
 * node-redis connection settings: `{ url, socket, mode }`; the URL's scheme is aligned with the mode because
 * node-redis switches TLS on from `rediss://` and rejects a `socket.tls` that contradicts the scheme.
 * Precedence: REDIS_TLS, then the scheme (redis:// => disable; rediss:// => verify-full, or require-no-verify on
 * Heroku).
 */
function redisSettings(env) {
  const url = requireUrl(env, 'REDIS_URL');
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error('REDIS_URL must start with redis:// or rediss://');
  }

  let mode;
  if (env.REDIS_TLS) mode = parseMode('REDIS_TLS', env.REDIS_TLS);
  else if (url.protocol === 'redis:') mode = 'disable';
  else mode = env.DYNO ? 'require-no-verify' : 'verify-full';

  const tls = tlsOptions(mode, env.REDIS_CA_CERT);
  const secure = tls !== false;
  url.protocol = secure ? 'rediss:' : 'redis:';
  return { url: url.href, socket: secure ? { tls: true, ...tls } : { tls: false }, mode };
}

module.exports = { MODES, postgresSettings, redisSettings };
