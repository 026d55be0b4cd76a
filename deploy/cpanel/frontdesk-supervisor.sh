#!/bin/sh
# Keeps Frontdesk running on a host without root or systemd (cPanel and the
# like). Lives in the application folder next to the `frontdesk` binary and
# its `.env`; run from cron:
#   @reboot     $HOME/frontdesk/frontdesk-supervisor.sh start
#   */5 * * * * $HOME/frontdesk/frontdesk-supervisor.sh start
# (the second line brings it back if the host killed it; it does nothing
# while it runs).
#
#   frontdesk-supervisor.sh start    start in the background (no-op if running)
#   frontdesk-supervisor.sh stop     stop it (SIGTERM: in-flight calls finish)
#   frontdesk-supervisor.sh restart  stop, then start (after replacing the binary)
#   frontdesk-supervisor.sh status   say whether it runs, and its pid
#   frontdesk-supervisor.sh run      supervise in the foreground
#
# A lock (flock on frontdesk.lock) makes sure two never run, whatever starts
# them; the server restarts when it exits (after 2 s, doubling up to 60 s
# while it keeps failing at once). Logs: logs/frontdesk.log (rotated at
# 10 MB, 5 kept) and logs/supervisor.log.
set -eu
umask 077

app_dir=${FRONTDESK_APP_DIR:-$(cd "$(dirname "$0")" && pwd)}
binary=${FRONTDESK_BINARY:-$app_dir/frontdesk}
log_dir=$app_dir/logs
lock_file=$app_dir/frontdesk.lock
pid_file=$app_dir/frontdesk.pid

note() { printf '%s %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*" >> "$log_dir/supervisor.log"; }

rotate() {
    log=$log_dir/frontdesk.log
    [ -f "$log" ] || return 0
    [ "$(wc -c < "$log")" -ge 10485760 ] || return 0
    for n in 4 3 2 1; do
        [ ! -f "$log.$n" ] || mv -f "$log.$n" "$log.$((n + 1))"
    done
    mv -f "$log" "$log.1"
}

running_pid() {
    [ -f "$pid_file" ] || return 1
    pid=$(cat "$pid_file")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

supervise() {
    umask 077
    mkdir -p "$log_dir"
    exec 9>>"$lock_file"
    if ! flock -n 9; then
        echo "frontdesk is already running (lock $lock_file held)" >&2
        exit 0
    fi
    echo $$ > "$pid_file"
    child=""
    stopping=""
    trap 'stopping=yes; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true' TERM INT HUP
    cd "$app_dir"
    delay=2
    note "supervisor $$ started"
    while [ -z "$stopping" ]; do
        rotate
        started=$(date +%s)
        "$binary" serve >> "$log_dir/frontdesk.log" 2>&1 &
        child=$!
        note "frontdesk started, pid $child"
        status=0
        # `wait` returns early when a signal arrives; wait again for the exit.
        wait "$child" || status=$?
        while kill -0 "$child" 2>/dev/null; do
            wait "$child" || status=$?
        done
        child=""
        note "frontdesk exited with status $status"
        [ -z "$stopping" ] || break
        if [ $(( $(date +%s) - started )) -ge 60 ]; then delay=2; fi
        note "restarting in ${delay}s"
        sleep "$delay" &
        wait $! || true
        delay=$((delay * 2))
        if [ "$delay" -gt 60 ]; then delay=60; fi
    done
    rm -f "$pid_file"
    note "supervisor $$ stopped"
}

case "${1:-}" in
    run)
        supervise
        ;;
    start)
        if pid=$(running_pid); then
            exit 0
        fi
        mkdir -p "$log_dir"
        nohup "$0" run < /dev/null >> "$log_dir/supervisor.log" 2>&1 &
        sleep 1
        if pid=$(running_pid); then
            echo "frontdesk supervisor running, pid $pid; logs in $log_dir"
        else
            echo "frontdesk did not start; see $log_dir/supervisor.log" >&2
            exit 1
        fi
        ;;
    stop)
        if pid=$(running_pid); then
            kill -TERM "$pid"
            # Up to the shutdown grace (30 s) and a little more.
            for _ in $(seq 1 45); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 1
            done
            if kill -0 "$pid" 2>/dev/null; then
                echo "frontdesk supervisor $pid did not stop" >&2
                exit 1
            fi
            echo "stopped"
        else
            echo "not running"
        fi
        ;;
    restart)
        "$0" stop
        "$0" start
        ;;
    status)
        if pid=$(running_pid); then
            echo "running, supervisor pid $pid"
        else
            echo "not running"
            exit 3
        fi
        ;;
    *)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
