#!/bin/sh
# Builds dist/frontdesk: one x86-64 Linux binary with SQLite, libpq and TLS
# (OpenSSL for libpq, rustls for the rest) compiled in, that runs on glibc
# 2.17 or newer (CentOS 7, CloudLinux, AlmaLinux 8, current Debian and
# Ubuntu), then checks it: the highest GLIBC symbol version it needs, that
# it links no shared library beyond glibc's own, `--version`, and a start
# on a fresh SQLite database answering /healthz.
#
#   scripts/release.sh            (GLIBC=2.17 by default)
#
# Uses cargo-zigbuild with Zig as the C compiler and linker against glibc
# 2.17's symbols; installs both when missing (`cargo install
# cargo-zigbuild`, `pip install ziglang`). Needs the build prerequisites of
# the README's quick start (make and perl for the bundled OpenSSL).
set -eu
cd "$(dirname "$0")/.."

glibc=${GLIBC:-2.17}
target=x86_64-unknown-linux-gnu
target_dir=${CARGO_TARGET_DIR:-target}
out=dist/frontdesk

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "release.sh: $*" >&2; exit 1; }

step "toolchain"
if ! command -v cargo-zigbuild >/dev/null 2>&1; then
    cargo install --locked cargo-zigbuild
fi
if ! command -v zig >/dev/null 2>&1 && ! python3 -m ziglang version >/dev/null 2>&1; then
    python3 -m pip install ziglang
fi
rustup target add "$target" >/dev/null 2>&1 || true
cargo-zigbuild --version
if command -v zig >/dev/null 2>&1; then zig version; else python3 -m ziglang version; fi

step "cargo zigbuild --release --target $target.$glibc"
cargo zigbuild --release --locked --target "$target.$glibc"
mkdir -p dist
cp "$target_dir/$target/release/frontdesk" "$out.tmp"
mv -f "$out.tmp" "$out"
ls -l "$out"

step "highest GLIBC symbol version (must be <= $glibc)"
highest=$(objdump -T "$out" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u -V | tail -n 1)
echo "GLIBC_$highest"
[ "$(printf '%s\n%s\n' "$highest" "$glibc" | sort -V | tail -n 1)" = "$glibc" ] ||
    fail "the binary needs GLIBC_$highest, newer than $glibc"

step "shared libraries (glibc's own only)"
needed=$(readelf -d "$out" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed"
for lib in $needed; do
    case "$lib" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libutil.so.*|ld-linux*|libgcc_s.so.*) ;;
        *) fail "links $lib, which a small host may not have" ;;
    esac
done

step "--version"
"$out" --version

step "smoke start"
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
port=$((20000 + $$ % 20000))
(
    cd "$smoke"
    env -i DATABASE_URL="$smoke/smoke.db" FRONTDESK_DEMO=false FRONTDESK_BIND="127.0.0.1:$port" \
        RUST_LOG=warn "$OLDPWD/$out" serve > "$smoke/log" 2>&1 &
    echo $! > "$smoke/pid"
)
healthy=""
for _ in $(seq 1 50); do
    if python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1).read().strip() == b'ok' else 1)" 2>/dev/null; then
        healthy=yes
        break
    fi
    sleep 0.2
done
kill -TERM "$(cat "$smoke/pid")" 2>/dev/null || true
wait 2>/dev/null || true
[ -n "$healthy" ] || { cat "$smoke/log" >&2; fail "the binary did not answer /healthz"; }
[ -s "$smoke/frontdesk-admin-password.txt" ] || fail "the first start wrote no password file"
echo "started on a fresh SQLite database, answered /healthz, stopped on SIGTERM"

step "done: $out (GLIBC_$highest at most; copy this one file to the server)"
