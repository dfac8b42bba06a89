/**
 * The app's connection URL: the cluster's SRV connection string (`mongodb+srv://<cluster>.<id>.mongodb.net`, from
 * Atlas's `connectionStrings.standardSrv`) with the user's credentials URL-encoded in it and the app's database as
 * its path. `mongodb+srv` makes the driver find the hosts (and the replica set) in DNS and turns TLS on by default,
 * so the URL needs no `tls=true`; `retryWrites=true&w=majority` are the options Atlas's own "connect" dialog adds.
 */

/** `mongodb+srv://user:pass@host/db?retryWrites=true&w=majority`; throws when `srv` is not an SRV string. */
export function connectionUrl(srv: string, user: string, password: string, database: string): string {
  const match = /^mongodb\+srv:\/\/([^/?@\s]+)\/?(\?.*)?$/.exec(srv.trim());
  if (!match) {
    throw new Error(`multicloud: Atlas answered ${JSON.stringify(srv)} as the cluster's SRV connection string; expected mongodb+srv://<host>`);
  }
  const host = match[1]!;
  return `mongodb+srv://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}/${encodeURIComponent(database)}?retryWrites=true&w=majority`;
}
