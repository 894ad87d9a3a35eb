#!/usr/bin/env bash
# Starts avahi-daemon for the mesh's mDNS tests, restricted to the loopback interface.
# Idempotent; needs root. mDNS traffic must never leave this machine, so the daemon only runs with
# `allow-interfaces=lo`: a daemon that was started before that setting is restarted with it.
#
# Usage: scripts/avahi.sh
set -euo pipefail

CONF=/etc/avahi/avahi-daemon.conf
say() { printf 'avahi.sh: %s\n' "$*"; }
die() { printf 'avahi.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it edits $CONF and starts dbus-daemon and avahi-daemon)"
command -v avahi-daemon >/dev/null 2>&1 || die "avahi-daemon is not installed (scripts/setup.sh installs it)"
[ -f "$CONF" ] || die "$CONF is missing"

# Sets `key=value` in [server], replacing a commented or different line.
set_server_option() {
    local key="$1" value="$2"
    if grep -Eq "^${key}=${value}\$" "$CONF"; then
        return 1
    fi
    if grep -Eq "^#?${key}=" "$CONF"; then
        sed -i -E "s|^#?${key}=.*|${key}=${value}|" "$CONF"
    else
        sed -i -E "s|^\[server\]\$|[server]\n${key}=${value}|" "$CONF"
    fi
    return 0
}

changed=0
set_server_option allow-interfaces lo && { say "set allow-interfaces=lo in $CONF"; changed=1; } || true
# IPv4 only: loopback has no IPv6 multicast route on these machines, and one protocol keeps results unique.
set_server_option use-ipv6 no && { say "set use-ipv6=no in $CONF"; changed=1; } || true
if grep -Eq '^deny-interfaces=' "$CONF"; then
    sed -i -E 's|^deny-interfaces=|#deny-interfaces=|' "$CONF"
    say "commented out deny-interfaces in $CONF"
    changed=1
fi
grep -Eq '^allow-interfaces=lo$' "$CONF" || die "allow-interfaces=lo is not in $CONF after editing it"

# Avahi only uses interfaces that can multicast; the loopback interface usually cannot until told so.
if ! ip link show lo | grep -q MULTICAST; then
    ip link set lo multicast on || die "cannot enable multicast on lo (needs CAP_NET_ADMIN): avahi-daemon would ignore it"
    say "enabled multicast on lo"
fi

# A socket left behind by a D-Bus that has gone (a previous session's, say) is not a running bus: ask the bus
# itself, and start a new one when nobody answers.
dbus_answers() { dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId >/dev/null 2>&1; }
if ! dbus_answers; then
    mkdir -p /run/dbus
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
    dbus-daemon --system --fork || die "dbus-daemon --system --fork failed"
    for _ in $(seq 50); do dbus_answers && break; sleep 0.1; done
    dbus_answers || die "the system D-Bus started but does not answer on /run/dbus/system_bus_socket"
    say "started the system D-Bus"
    # An avahi-daemon still attached to the old bus cannot be reached by clients: start it anew.
    avahi-daemon --kill 2>/dev/null || true
fi

# The pid of a running avahi-daemon, or nothing.
daemon_pid() { avahi-daemon --check 2>/dev/null && cat /run/avahi-daemon/pid 2>/dev/null || true; }
# True when the daemon with pid $1 started before the configuration last changed (it reads it at start only).
stale() { [ "$(stat -c %Y "/proc/$1")" -lt "$(stat -c %Y "$CONF")" ]; }

pid="$(daemon_pid)"
if [ -n "$pid" ] && { [ "$changed" -eq 1 ] || stale "$pid"; }; then
    avahi-daemon --kill || true
    for _ in $(seq 50); do avahi-daemon --check 2>/dev/null || break; sleep 0.1; done
    say "stopped avahi-daemon (pid $pid): it ran with an older $CONF"
    pid=""
fi
if [ -z "$pid" ]; then
    rm -f /run/avahi-daemon/pid
    # avahi-daemon reports start-up failures to syslog only; --debug in the message shows them on a terminal.
    avahi-daemon --daemonize --no-drop-root --no-chroot \
        || die "avahi-daemon did not start; run \`avahi-daemon --no-drop-root --no-chroot --debug\` to see why"
    for _ in $(seq 50); do avahi-daemon --check 2>/dev/null && break; sleep 0.1; done
    pid="$(daemon_pid)"
    [ -n "$pid" ] || die "avahi-daemon did not start; run \`avahi-daemon --no-drop-root --no-chroot --debug\` to see why"
    say "started avahi-daemon (pid $pid)"
else
    say "avahi-daemon already runs (pid $pid)"
fi
stale "$pid" && die "avahi-daemon (pid $pid) runs with an older $CONF; run: avahi-daemon --kill && $0"
say "avahi-daemon runs with allow-interfaces=lo only"
