#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL for the tests, in DIR, on a Unix socket only.
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
# start writes the connection URL to DIR/url (a new, empty server); resume starts the server of DIR
# again after a stop, with its data, on the same socket and port (a database restart).
set -euo pipefail
action=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found: run scripts/install-deps.sh" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $1 -c fsync=off -c max_connections=200" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case "$action" in
  start)
    "$0" stop "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(( 20000 + RANDOM % 20000 ))
    start_server "$port"
    echo "postgresql://postgres@/postgres?host=$dir&port=$port" > "$dir/url"
    echo "PostgreSQL ready: $(cat "$dir/url")"
    ;;
  resume)
    [ -f "$dir/url" ] && [ -d "$dir/data" ] || { echo "no server in $dir: use start" >&2; exit 1; }
    [ -f "$dir/data/postmaster.pid" ] && { echo "PostgreSQL already running"; exit 0; }
    url=$(cat "$dir/url")
    start_server "${url##*port=}"
    echo "PostgreSQL ready again: $url"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    echo "PostgreSQL stopped"
    ;;
  *) echo "usage: $0 start|resume|stop DIR" >&2; exit 2 ;;
esac
