#!/bin/sh
# Backs up Frontdesk's database while it runs, keeping the newest KEEP
# (default 14) copies in DEST:
#   SQLite:     sqlite3 .backup (a consistent copy, WAL included) to
#               frontdesk-YYYYmmdd-HHMMSS.db
#   PostgreSQL: pg_dump -Fc to frontdesk-YYYYmmdd-HHMMSS.dump
#               (restore: pg_restore --clean --no-owner -d "$DATABASE_URL" FILE)
# DATABASE_URL comes from the environment, else from ENV_FILE
# (default /etc/frontdesk/frontdesk.env). Needs the sqlite3 or
# postgresql-client package. Daily from root's crontab, for example:
#   17 3 * * * /usr/local/bin/frontdesk-backup /var/backups/frontdesk
#   DEST=${1:-/var/backups/frontdesk}  KEEP=${KEEP:-14}
set -eu
dest=${1:-/var/backups/frontdesk}
keep=${KEEP:-14}
env_file=${ENV_FILE:-/etc/frontdesk/frontdesk.env}

if [ -z "${DATABASE_URL:-}" ] && [ -r "$env_file" ]; then
    DATABASE_URL=$(sed -n "s/^DATABASE_URL=//p" "$env_file" | tail -n 1 | sed "s/^'\(.*\)'$/\1/; s/^\"\(.*\)\"$/\1/")
fi
url=${DATABASE_URL:-frontdesk.db}
stamp=$(date -u +%Y%m%d-%H%M%S)
umask 077
mkdir -p "$dest"

case "$url" in
    postgres://*|postgresql://*)
        file="$dest/frontdesk-$stamp.dump"
        pg_dump --format=custom --no-owner --file="$file.part" "$url"
        pattern='frontdesk-*.dump'
        ;;
    *)
        path=${url#sqlite://}
        path=${path#sqlite:}
        if [ ! -f "$path" ]; then
            echo "backup.sh: no SQLite database at $path" >&2
            exit 1
        fi
        file="$dest/frontdesk-$stamp.db"
        sqlite3 "$path" ".timeout 10000" ".backup '$file.part'"
        check=$(sqlite3 "$file.part" "PRAGMA integrity_check;")
        if [ "$check" != "ok" ]; then
            echo "backup.sh: the copy fails its integrity check: $check" >&2
            exit 1
        fi
        pattern='frontdesk-*.db'
        ;;
esac
mv "$file.part" "$file"
echo "backed up to $file"

# Keep the newest $keep copies.
find "$dest" -maxdepth 1 -name "$pattern" -type f | sort -r | tail -n "+$((keep + 1))" |
    while IFS= read -r old; do rm -f -- "$old"; done
