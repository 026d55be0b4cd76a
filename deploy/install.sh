#!/bin/sh
# Installs (or upgrades) Frontdesk as a systemd service on a Debian/Ubuntu
# (or any systemd) server:
#   - the system user `frontdesk` (no login shell, home /var/lib/frontdesk);
#   - /usr/local/bin/frontdesk, frontdesk-admin and frontdesk-backup;
#   - /etc/frontdesk/frontdesk.env (root:frontdesk 0640) from
#     deploy/frontdesk.env, only when it does not exist yet;
#   - /var/lib/frontdesk (frontdesk 0700);
#   - /etc/systemd/system/frontdesk.service, enabled and (re)started.
#
#   sudo deploy/install.sh --binary target/release/frontdesk \
#        --public-url https://desk.example.com
#
# --root DIR installs into DIR instead of / (for packaging or a test run:
# the user is added to DIR/etc/passwd and the service enabled with
# `systemctl --root`, nothing is started). --no-start leaves the service
# stopped. Running it again upgrades the binary and the unit, keeps the
# settings and the data, and restarts the service.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
binary=""
public_url=""
root=""
start=yes

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary=${2:?--binary needs a path}; shift 2 ;;
        --public-url) public_url=${2:?--public-url needs a URL}; shift 2 ;;
        --root) root=${2:?--root needs a directory}; shift 2 ;;
        --no-start) start=no; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage 2 >&2 ;;
    esac
done

if [ -z "$binary" ]; then
    for candidate in "$here/../target/release/frontdesk" "$here/frontdesk" "$here/../frontdesk"; do
        if [ -x "$candidate" ]; then binary=$candidate; break; fi
    done
fi
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "install.sh: no frontdesk binary; build one (cargo build --release or scripts/release.sh) and pass --binary PATH" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run it as root (sudo)" >&2
    exit 1
fi
case "$public_url" in
    ""|https://*) ;;
    *) echo "install.sh: --public-url must be the https:// URL Twilio reaches" >&2; exit 2 ;;
esac

say() { printf '==> %s\n' "$*"; }

if [ -n "$root" ]; then
    mkdir -p "$root/etc" "$root/usr/local/bin" "$root/var/lib" "$root/etc/systemd/system"
    for f in passwd group shadow gshadow; do [ -e "$root/etc/$f" ] || : > "$root/etc/$f"; done
fi

# The service's own user and group.
if grep -q '^frontdesk:' "$root/etc/passwd" 2>/dev/null; then
    say "user frontdesk exists"
else
    say "adding the system user frontdesk"
    if [ -n "$root" ]; then
        useradd --root "$root" --system --user-group --home-dir /var/lib/frontdesk \
            --no-create-home --shell /usr/sbin/nologin frontdesk
    else
        useradd --system --user-group --home-dir /var/lib/frontdesk \
            --no-create-home --shell /usr/sbin/nologin frontdesk
    fi
fi
uid=$(awk -F: '$1 == "frontdesk" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "frontdesk" { print $4 }' "$root/etc/passwd")

say "installing $root/usr/local/bin/frontdesk"
install -m 0755 "$binary" "$root/usr/local/bin/frontdesk.new"
mv -f "$root/usr/local/bin/frontdesk.new" "$root/usr/local/bin/frontdesk"
install -m 0755 "$here/frontdesk-admin" "$root/usr/local/bin/frontdesk-admin"
install -m 0755 "$here/backup.sh" "$root/usr/local/bin/frontdesk-backup"

install -d -m 0750 -o 0 -g "$gid" "$root/etc/frontdesk"
env_file="$root/etc/frontdesk/frontdesk.env"
if [ -e "$env_file" ]; then
    say "keeping the settings in $env_file"
else
    say "writing the settings template to $env_file"
    install -m 0640 -o 0 -g "$gid" "$here/frontdesk.env" "$env_file"
fi
if [ -n "$public_url" ]; then
    sed -i "s|^FRONTDESK_PUBLIC_URL=.*|FRONTDESK_PUBLIC_URL=$public_url|" "$env_file"
fi

install -d -m 0700 -o "$uid" -g "$gid" "$root/var/lib/frontdesk"

say "installing $root/etc/systemd/system/frontdesk.service"
install -m 0644 "$here/frontdesk.service" "$root/etc/systemd/system/frontdesk.service"

if [ -n "$root" ]; then
    systemctl --root="$root" enable frontdesk.service
    say "installed into $root (nothing started)"
    exit 0
fi

if [ ! -d /run/systemd/system ]; then
    systemctl enable frontdesk.service
    say "installed and enabled, but systemd is not running here: nothing started"
    exit 0
fi
systemctl daemon-reload
systemctl enable frontdesk.service
if [ "$start" = no ]; then
    say "installed; edit $env_file, then: systemctl start frontdesk"
    exit 0
fi
systemctl restart frontdesk.service
sleep 2
systemctl --no-pager --lines=0 status frontdesk.service || true
password_file=/var/lib/frontdesk/frontdesk-admin-password.txt
if [ -e "$password_file" ]; then
    say "first start: sign in as admin@frontdesk.local with the password in $password_file"
    say "(cat it as root, change the password on the Account page, then delete the file)"
fi
say "logs: journalctl -u frontdesk -f    commands: sudo frontdesk-admin --help"
