#!/usr/bin/env bash
# Starts/stops the loopback services CollectBot's tests and demo use: a private PostgreSQL
# cluster and a private Redis, each on its own port, each stopped by its own PID.
#   scripts/services.sh start|stop|status [postgres|redis]...
set -euo pipefail
STATE=${COLLECTBOT_SERVICES_DIR:-/var/tmp/collectbot-services}
PG_PORT=${COLLECTBOT_PG_PORT:-55432}
REDIS_PORT=${COLLECTBOT_REDIS_PORT:-56379}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mkdir -p "$STATE" "$STATE/pg-run"
chown postgres:postgres "$STATE/pg-run" 2>/dev/null || true

# The daemons outlive this script: they must not inherit its open files. A caller run under
# `flock /tmp/collectbot-sandbox.lock ...` would otherwise hand the lock to PostgreSQL and Redis,
# which then hold it for as long as they run (every other sandbox user waits forever).
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null || true
done

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_start() {
    [[ -n "$PG_BIN" ]] || { echo "services: PostgreSQL is not installed (make install)" >&2; return 1; }
    local data="$STATE/pg"
    if [[ ! -s "$data/PG_VERSION" ]]; then
        rm -rf "$data"; mkdir -p "$data"; chown postgres:postgres "$data"
        runuser -u postgres -- "$PG_BIN/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$STATE/pg-init.log"
    fi
    if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        echo "services: postgres already running on 127.0.0.1:$PG_PORT"; return 0
    fi
    if port_open "$PG_PORT"; then echo "services: port $PG_PORT is taken by another process" >&2; return 1; fi
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$data" -l "$STATE/pg-run/pg.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $STATE/pg-run -c fsync=off -c max_connections=200" start >/dev/null
    for db in collectbot collectbot_test; do
        runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 ||
            runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $db"
    done
    echo "services: postgres up on 127.0.0.1:$PG_PORT"
}
pg_stop() {
    [[ -s "$STATE/pg/PG_VERSION" ]] || return 0
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$STATE/pg" -m fast stop >/dev/null 2>&1 || true
}
redis_start() {
    local pidf="$STATE/redis.pid"
    if [[ -s "$pidf" ]] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
        echo "services: redis already running on 127.0.0.1:$REDIS_PORT"; return 0
    fi
    if port_open "$REDIS_PORT"; then echo "services: port $REDIS_PORT is taken by another process" >&2; return 1; fi
    command -v redis-server >/dev/null || { echo "services: redis-server is not installed (make install)" >&2; return 1; }
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$pidf" \
        --dir "$STATE" --appendonly yes --appendfsync everysec --save "" --logfile "$STATE/redis.log"
    for _ in $(seq 100); do port_open "$REDIS_PORT" && break; sleep 0.05; done
    port_open "$REDIS_PORT" || { echo "services: redis did not start, see $STATE/redis.log" >&2; return 1; }
    echo "services: redis up on 127.0.0.1:$REDIS_PORT"
}
redis_stop() {
    local pidf="$STATE/redis.pid"
    [[ -s "$pidf" ]] && kill "$(cat "$pidf")" 2>/dev/null || true
    rm -f "$pidf"
}

cmd=${1:-status}; shift || true
targets=("$@"); ((${#targets[@]})) || targets=(postgres redis)
for t in "${targets[@]}"; do
    case "$cmd:$t" in
        start:postgres) pg_start ;;
        start:redis) redis_start ;;
        stop:postgres) pg_stop ;;
        stop:redis) redis_stop ;;
        status:postgres) port_open "$PG_PORT" && echo "postgres: up ($PG_PORT)" || echo "postgres: down" ;;
        status:redis) port_open "$REDIS_PORT" && echo "redis: up ($REDIS_PORT)" || echo "redis: down" ;;
        *) echo "usage: $0 start|stop|status [postgres|redis]..." >&2; exit 2 ;;
    esac
done
