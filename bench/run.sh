#!/bin/bash
# Copyright (c) 2026 the inetd authors.
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

#
# run.sh: measure our inetd against its ceilings and its peers, on
# loopback only, and print one markdown table per scenario.
#
# usage: [INETD=path] run.sh [-q] [-r rounds] [-d seconds]
#	[-c "concurrencies"] [-s "parts"]
#
#	-q	quick subset: concurrency 8, one round of 1 s, start-up
#		and reload with 500 services only, two reloads
#	-r	rounds per cell (default 3); the tables show the median
#	-d	seconds of load per measurement (default 1.5)
#	-c	concurrencies (default "1 8 64")
#	-s	only these parts, e.g. -s "acl fair": scenarios (exec shell
#		echo daytime udp pledge acl tls), cpu, fair, memory (each
#		inetd alone), startup, reload; tls also runs the TLS bulk
#		transfer
#
# Fairness (fair): 256 clients flood the exec'd echoline for 15 s (4 s
# with -q) while one client asks echod.sh, another exec'd service of
# the same server, one request after the other; the table shows the
# flood's rate and the probe's latency, its worst case above all.
#
# TLS (tls): a full TLS 1.3 handshake, one line and close_notify per
# transaction, against echoline behind our inetd (tls=yes) and behind
# stunnel4 in its inetd-like exec mode (one echoline per connection);
# both serve the same self-signed ECDSA P-256 certificate, made with
# openssl(1) for the run.  Then bulk: 64 MiB each way through /bin/cat
# over TLS (tlsbulk), MB/s.  There is no ceiling for TLS here: tlscost
# measures the price of our forwarded key apart.
#
# Needs root (our inetd, the peers and the ceilings bind ports 7 and 13,
# set credentials and chroot).  The peers come from make bench-deps; a
# missing one reads n/a.  Every daemon it starts is stopped on exit and
# every file it writes lives in one mktemp directory, removed on exit.
#
# Servers, each on its own loopback address so that all can run at once
# and the built-in services can keep their standard ports (7, 13), which
# openbsd-inetd and xinetd insist on for "internal" services:
#
#	127.0.0.21	inetd (ours): ./inetd -d CONFIG from the repository
#	127.0.0.22	refexec: the ceiling for exec'd services
#	127.0.0.23	refecho: the ceiling for built-in services
#	127.0.0.24	openbsd-inetd (Debian package, unpacked in bench/peers)
#	127.0.0.25	xinetd (Debian package)
#	127.0.0.26	tcpserver (Debian ucspi-tcp), one process per service
#	127.0.0.27	stunnel4 (Debian package, unpacked in bench/peers), TLS
#	127.0.0.28	busybox inetd (built from Debian's busybox source by
#			busybox.sh: Debian's busybox has no inetd applet)
#
# Ports: 20001 echoline (exec'd), 20002 echod.sh (exec'd shell script),
# 20006 echoline with pledge and unveil (ours only), 20007 built-in
# echo behind 10 000 access rules (ours only), 20010 echoline over TLS,
# 20011 /bin/cat over TLS (bulk), 7/tcp echo,
# 13/tcp daytime, 7/udp echo; 21000 and up for the start-up and reload
# tests.  The exec'd services run as nobody.

# The whole script is one compound command, so bash reads all of it
# before running any: editing run.sh during a run cannot derail it.
{
set -u
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
LG=$HERE/loadgen

QUICK=0
ROUNDS=3
DUR=1.5
CONCS="1 8 64"
ONLY=""
while getopts "qr:d:c:s:" opt; do
	case $opt in
	q)	QUICK=1; ROUNDS=1; DUR=1; CONCS="8" ;;
	r)	ROUNDS=$OPTARG ;;
	d)	DUR=$OPTARG ;;
	c)	CONCS=$OPTARG ;;
	s)	ONLY=" $OPTARG " ;;
	*)	echo "usage: run.sh [-q] [-r rounds] [-d seconds]" \
		    "[-c \"concurrencies\"] [-s \"parts\"]" >&2; exit 2 ;;
	esac
done
if [ $QUICK = 1 ]; then
	TABLE_SIZES="500"
	STARTUP_ROUNDS=1
	RELOADS=2
	FAIR_SECS=4
	CPU_SECS=1
else
	TABLE_SIZES="500 10000"
	STARTUP_ROUNDS=3
	RELOADS=5
	FAIR_SECS=15
	CPU_SECS=2
fi

if [ "$(id -u)" != 0 ]; then
	echo "run.sh: needs root (binds ports 7 and 13, sets credentials)" >&2
	exit 1
fi

A_OURS=127.0.0.21
A_REFX=127.0.0.22
A_REFE=127.0.0.23
A_OBI=127.0.0.24
A_XIN=127.0.0.25
A_TCPS=127.0.0.26
A_STUN=127.0.0.27
A_BB=127.0.0.28
P_EXEC=20001
P_SH=20002
P_PLEDGE=20006
P_ACL=20007
P_TLS=20010
P_TLSCAT=20011
# Bulk transfer over TLS: bytes each way per connection, connections.
BULK_BYTES=$((64 << 20))
BULK_CONNS=1
P_BASE=21000

# Rate limits, raised everywhere so that no server throttles the load.
MAXRATE=1000000

W=$(mktemp -d /tmp/inetd-bench.XXXXXX) || exit 1
chmod 755 "$W"		# the services run as nobody and exec from $W/bin
RES=$W/results		# scenario conc server round rate p50 p99 err
: >"$RES"
PIDS=""			# every daemon we started (each a session leader)
PIDFILE_SAVED=""

log() {
	printf '%s\n' "$*" >&2
}

# Stop one daemon we started: TERM, then KILL after 5 s.  Each daemon
# was started by setsid, so its pid is also its process group: the group
# kill catches its own helper processes (our listener and spawner).
stop_pid() {
	local pid=$1 i

	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return; }
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	PIDS=$(echo " $PIDS " | sed "s/ $pid / /")
}

cleanup() {
	local pid

	trap - EXIT INT TERM
	for pid in $PIDS; do
		stop_pid "$pid"
	done
	# openbsd-inetd always writes /run/inetd.pid: put back what was there.
	if [ -n "$PIDFILE_SAVED" ]; then
		if [ -s "$W/inetd.pid.saved" ]; then
			cp "$W/inetd.pid.saved" /run/inetd.pid
		else
			rm -f /run/inetd.pid
		fi
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Start a daemon in its own session; prints nothing, sets LASTPID.
spawn() {
	local logf=$1
	shift
	setsid "$@" </dev/null >"$logf" 2>&1 &
	LASTPID=$!
	PIDS="$PIDS $LASTPID"
}

# One transaction against addr port within $3 seconds (retrying).
answers() {
	local mode=$1 addr=$2 port=$3 secs=${4:-3}
	local tmo=1000

	[ "$mode" = udp ] && tmo=100
	"$LG" -q -m "$mode" -n 1 -c 1 -b 2 -t $tmo -d "$secs" \
	    "$addr" "$port" >/dev/null 2>&1
}

sub() {	# a - b, in seconds
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", a - b }'
}

# Wait up to secs for one transaction, giving up early if pid dies.
wait_answer() {	# pid mode addr port secs
	local pid=$1 mode=$2 addr=$3 port=$4 secs=$5 end

	end=$((${EPOCHREALTIME%.*} + secs))
	while [ "${EPOCHREALTIME%.*}" -lt $end ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		answers "$mode" "$addr" "$port" 1 && return 0
	done
	return 1
}

kv() {	# kv key "RESULT ... key=value ..."
	local k=$1
	shift
	printf '%s\n' "$*" | tr ' ' '\n' | sed -n "s/^$k=//p"
}

### Setup ###############################################################

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

log "== building bench/"
make -s -C "$HERE" all >&2 || { log "bench build failed"; exit 1; }

mkdir -p "$W/bin"
cp "$HERE/echoline" "$TOP/examples/echod.sh" "$W/bin/"
chmod 755 "$W/bin" "$W/bin/echoline" "$W/bin/echod.sh"

# The peers, from make bench-deps: unpacked in bench/peers, not installed
# (openbsd-inetd and xinetd conflict as packages); an installed xinetd or
# tcpserver will do.
log "== peers"
# peer file package: the unpacked program, or an installed one, and the
# version of the package it came from.
peer() {
	local f=$HERE/peers/root$1 v
	if [ -x "$f" ] && ! ldd "$f" | grep -q 'not found'; then
		v=$(ls "$HERE"/peers/"$2"_*.deb 2>/dev/null |
		    sed "s/.*$2_\(.*\)_.*/\1/; s/%3a/:/")
		echo "$f $v"
	elif command -v "${1##*/}" >/dev/null; then
		echo "$(command -v "${1##*/}") $(dpkg-query -W \
		    -f '${Version}' "$2" 2>/dev/null)"
	fi
}
read -r XINETD XIN_VERSION <<< "$(peer /usr/sbin/xinetd xinetd)"
read -r TCPSERVER TCPS_VERSION <<< "$(peer /usr/bin/tcpserver ucspi-tcp)"
BB=$HERE/peers/busybox/busybox
BB_VERSION=$(cat "$HERE/peers/busybox/version" 2>/dev/null)
[ -x "$BB" ] || BB=""
OBI=$HERE/peers/root/usr/sbin/inetd
if [ ! -x "$OBI" ] || ldd "$OBI" | grep -q 'not found'; then
	OBI=""
fi
OBI_VERSION=$(ls "$HERE"/peers/openbsd-inetd_*.deb 2>/dev/null |
    sed 's/.*openbsd-inetd_\(.*\)_.*/\1/')
# stunnel4 unpacked by make bench-deps; an installed one will do.
STUNNEL=$HERE/peers/root/usr/bin/stunnel4
STUN_VERSION=$(ls "$HERE"/peers/stunnel4_*.deb 2>/dev/null |
    sed 's/.*stunnel4_\(.*\)_.*/\1/; s/%3a/:/')
if [ ! -x "$STUNNEL" ] || ldd "$STUNNEL" | grep -q 'not found'; then
	STUNNEL=$(command -v stunnel4 || true)
	STUN_VERSION=$(dpkg-query -W -f '${Version}' stunnel4 2>/dev/null)
fi
[ -z "$OBI" ] && log "openbsd-inetd unavailable"
[ -z "$XINETD" ] && log "xinetd unavailable"
[ -z "$TCPSERVER" ] && log "tcpserver unavailable"
[ -z "$STUNNEL" ] && log "stunnel4 unavailable"
[ -z "$BB" ] && log "busybox inetd unavailable"
if [ -z "$OBI" ] || [ -z "$XINETD" ] || [ -z "$TCPSERVER" ] ||
    [ -z "$STUNNEL" ]; then
	log "make bench-deps installs the peers"
fi

log "== our inetd"
# INETD=path measures a daemon built elsewhere (another branch's tree,
# e.g. while TLS serving is finished there) with this tree's bench.
OURS=""
OURS_REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "${INETD:-}" ]; then
	[ -x "$INETD" ] && OURS=$INETD
	OURS_REV=$(git -C "$(dirname "$INETD")" rev-parse --short HEAD \
	    2>/dev/null || echo '?')" ($INETD)"
else
	if [ ! -x "$TOP/inetd" ] && [ -f "$TOP/Makefile" ]; then
		make -s -C "$TOP" all >"$W/make.log" 2>&1 ||
		    make -s -C "$TOP" >>"$W/make.log" 2>&1
	fi
	[ -x "$TOP/inetd" ] && OURS=$TOP/inetd
fi
[ -z "$OURS" ] && log "no ./inetd built: our columns will be n/a"
# Our daemon runs its listener as _inetd, chrooted in /var/empty.
if ! id _inetd >/dev/null 2>&1; then
	useradd -r -s /usr/sbin/nologin -d /var/empty _inetd ||
	    log "could not create user _inetd"
fi
mkdir -p /var/empty

if [ -e /run/inetd.pid ]; then
	cp /run/inetd.pid "$W/inetd.pid.saved"
else
	: >"$W/inetd.pid.saved"
fi
PIDFILE_SAVED=1

ECHOLINE="$W/bin/echoline echoline"	# program and argv0

# The TLS certificate of the run: self-signed ECDSA P-256, the key
# owned by root, mode 600, in a directory only root can write (what
# our inetd demands of tls-key=; stunnel reads it as root too, before
# it drops to nobody).
TLSDIR=$W/tls
TLS_CERT=$TLSDIR/cert.pem
TLS_KEY=$TLSDIR/key.pem
TLS_OK=0
mkdir -m 700 "$TLSDIR"
if (umask 077 && openssl req -x509 -newkey ec \
    -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
    -subj /CN=inetd-bench -keyout "$TLS_KEY" -out "$TLS_CERT") \
    >"$W/openssl.log" 2>&1; then
	chown root:root "$TLS_KEY" "$TLS_CERT"
	chmod 600 "$TLS_KEY"
	chmod 644 "$TLS_CERT"
	TLS_OK=1
else
	log "openssl req failed: no TLS scenario"
	sed 's/^/    /' "$W/openssl.log" >&2
fi
NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)

### Configurations ######################################################

# Ours: classic lines in OpenBSD syntax, then the same service with
# pledge and unveil in the NetBSD key-value notation.
conf_ours() {
	cat <<-EOF
	# inetd (ours), bench configuration.  No record per connection, as
	# no peer logs one here (a record costs about 15 us of CPU).
	.defaults log=no;
	$A_OURS:$P_EXEC stream tcp nowait.$MAXRATE nobody $ECHOLINE
	$A_OURS:$P_SH stream tcp nowait.$MAXRATE nobody $W/bin/echod.sh echod.sh
	$A_OURS:echo stream tcp nowait.$MAXRATE root internal
	$A_OURS:daytime stream tcp nowait.$MAXRATE root internal
	$A_OURS:echo dgram udp wait root internal
	echolinep on socktype=stream, protocol=tcp, wait=no, max=$MAXRATE,
		user=nobody, bind=$A_OURS, port=$P_PLEDGE,
		exec=$W/bin/echoline, args=echoline,
		pledge="stdio", unveil="$W/bin rx";
	echo on socktype=stream, protocol=tcp, wait=no, user=root,
		bind=$A_OURS, port=$P_ACL,
		per-source=4096, per-source-rate=1000000/1,
	$(acl_rules)
	EOF
	[ "$OURS_TLS" = 1 ] && conf_ours_tls
}

# Ours over TLS: echoline (tls) and cat (bulk), in the same
# configuration as the rest.  Only when the tls part runs and only as
# long as our inetd accepts them (start_ours drops them otherwise), so
# that a daemon without TLS still serves every other scenario.
OURS_TLS=0
conf_ours_tls() {
	cat <<-EOF
	tlsecho on socktype=stream, protocol=tcp, wait=no, max=$MAXRATE,
		user=nobody, bind=$A_OURS, port=$P_TLS,
		exec=$W/bin/echoline, args=echoline,
		tls=yes, tls-cert=$TLS_CERT, tls-key=$TLS_KEY;
	tlscat on socktype=stream, protocol=tcp, wait=no, max=$MAXRATE,
		user=nobody, bind=$A_OURS, port=$P_TLSCAT,
		exec=/bin/cat, args=cat,
		tls=yes, tls-cert=$TLS_CERT, tls-key=$TLS_KEY;
	EOF
}

# 10 000 access rules: 9 999 hosts of 10/8 denied, and 127/8 allowed,
# so that every lookup runs through the whole table.
acl_rules() {
	awk 'BEGIN {
		for (i = 0; i < 9999; i++)
			printf "%s10.%d.%d.%d", i % 50 ? " " : \
			    (i ? ",\n\tdeny=" : "\tdeny="), int(i / 65536),
			    int(i / 256) % 256, i % 256
		print ",\n\tallow=127.0.0.0/8;"
	}'
}

# openbsd-inetd: the same classic lines, -R raised to $MAXRATE, run with
# -i (foreground, no debug output).  Note: its built-in UDP services drop
# datagrams from 127/8 (dg_badinput), so its UDP echo cannot be measured
# on loopback and shows n/a.
conf_obi() {
	cat <<-EOF
	$A_OBI:$P_EXEC stream tcp nowait.$MAXRATE nobody $ECHOLINE
	$A_OBI:$P_SH stream tcp nowait.$MAXRATE nobody $W/bin/echod.sh echod.sh
	$A_OBI:echo stream tcp nowait.$MAXRATE root internal
	$A_OBI:daytime stream tcp nowait.$MAXRATE root internal
	$A_OBI:echo dgram udp wait root internal
	EOF
}

# busybox inetd: the same classic lines, run in the foreground (-f) with
# -R raised; it vforks each program, as root, with no privilege
# separation.
conf_bb() {
	cat <<-EOF
	$A_BB:$P_EXEC stream tcp nowait nobody $ECHOLINE echoline
	$A_BB:$P_SH stream tcp nowait nobody $W/bin/echod.sh echod.sh
	$A_BB:echo stream tcp nowait root internal
	$A_BB:daytime stream tcp nowait root internal
	$A_BB:echo dgram udp wait root internal
	EOF
}

# xinetd: one block per service; cps, instances and per_source raised in
# every block (the defaults section alone did not lift cps for internal
# services); no per-connection logging; run with -dontfork.  libwrap's
# hosts.allow/deny are read per connection as by default.
xin_block() {	# name type socktype proto wait port server-or-id user
	local name=$1 type=$2 st=$3 proto=$4 wait=$5 port=$6 what=$7 user=$8

	echo "service $name"
	echo "{"
	echo "	type		= $type"
	echo "	socket_type	= $st"
	echo "	protocol	= $proto"
	echo "	wait		= $wait"
	echo "	user		= $user"
	echo "	bind		= $A_XIN"
	echo "	cps		= $MAXRATE 1"
	echo "	instances	= UNLIMITED"
	echo "	per_source	= UNLIMITED"
	echo "	log_on_success	="
	echo "	log_on_failure	="
	case $type in
	INTERNAL) echo "	id		= $what" ;;
	*)	echo "	port		= $port"
		echo "	server		= $what" ;;
	esac
	echo "}"
}

conf_xin_defaults() {
	cat <<-EOF
	defaults
	{
		instances	= UNLIMITED
		per_source	= UNLIMITED
		cps		= $MAXRATE 1
		log_type	= FILE $W/xinetd.svc.log
		log_on_success	=
		log_on_failure	=
	}
	EOF
}

conf_xin() {
	conf_xin_defaults
	xin_block echoline UNLISTED stream tcp no $P_EXEC \
	    "$W/bin/echoline" nobody
	xin_block echodsh UNLISTED stream tcp no $P_SH \
	    "$W/bin/echod.sh" nobody
	xin_block echo INTERNAL stream tcp no 7 echo-stream root
	xin_block daytime INTERNAL stream tcp no 13 daytime-stream root
	xin_block echo INTERNAL dgram udp yes 7 echo-dgram root
}

# N exec'd services on ports P_BASE.. for the start-up and reload tests;
# $2 moves the last one to the next free port.
conf_many() {	# server n [moved]
	local srv=$1 n=$2 moved=${3:-0} i port

	[ "$srv" = xinetd ] && conf_xin_defaults
	for ((i = 0; i < n; i++)); do
		port=$((P_BASE + i))
		[ "$moved" = 1 ] && [ $i = $((n - 1)) ] && port=$((P_BASE + n))
		case $srv in
		ours)	echo "$A_OURS:$port stream tcp" \
			    "nowait.$MAXRATE nobody $ECHOLINE" ;;
		obi)	echo "$A_OBI:$port stream tcp" \
			    "nowait.$MAXRATE nobody $ECHOLINE" ;;
		xinetd)	xin_block "s$port" UNLISTED stream tcp no \
			    "$port" "$W/bin/echoline" nobody ;;
		esac
	done
}

# stunnel4 as an inetd: one accept per service and, per connection, the
# program exec'd with the plaintext on its descriptors (exec = ...), TLS
# 1.3 only, SSL_OP_NO_TICKET as our engine sets it (loadgen resumes
# nothing anyway), setuid nobody after binding and reading the key, logging
# at err only, to standard error (as nobody it could not open a log
# file in $W).  foreground = yes keeps it in the session spawn made, so
# stop_pid's group kill reaches it.
conf_stunnel() {
	cat <<-EOF
	foreground = yes
	pid =
	debug = err
	setuid = nobody
	setgid = $(id -gn nobody)

	[tlsecho]
	accept = $A_STUN:$P_TLS
	exec = $W/bin/echoline
	execArgs = echoline
	cert = $TLS_CERT
	key = $TLS_KEY
	sslVersionMin = TLSv1.3
	options = NO_TICKET

	[tlscat]
	accept = $A_STUN:$P_TLSCAT
	exec = /bin/cat
	execArgs = cat
	cert = $TLS_CERT
	key = $TLS_KEY
	sslVersionMin = TLSv1.3
	options = NO_TICKET
	EOF
}

### Servers #############################################################

PID_OURS=""
PID_OBI=""
PID_BB=""
PID_XIN=""
PID_REFE=""
PIDS_REFX=""
PIDS_TCPS=""
PID_STUN=""
OURS_NOTE=""

start_ours_conf() {	# conf -> PID_OURS, or fails
	spawn "$W/ours.log" "$OURS" -d -s "$W/ours.sock" -p "$W/ours.pid" "$1"
	PID_OURS=$LASTPID
}

start_ours() {
	[ -z "$OURS" ] && return 1
	conf_ours >"$W/ours.conf"
	start_ours_conf "$W/ours.conf"
	wait_answer "$PID_OURS" echo $A_OURS $P_EXEC 5 && return 0
	log "ours: did not come up:"
	tail -3 "$W/ours.log" | sed 's/^/    /' >&2
	stop_pid "$PID_OURS"
	PID_OURS=""
	# Perhaps only the TLS entries were refused: the rest without them.
	if [ "$OURS_TLS" = 1 ]; then
		OURS_TLS=0
		log "ours: again without the TLS entries (TLS cells n/a)"
		start_ours
		return
	fi
	return 1
}

start_stunnel() {
	[ -z "$STUNNEL" ] && return 1
	conf_stunnel >"$W/stunnel.conf"
	spawn "$W/stunnel.log" "$STUNNEL" "$W/stunnel.conf"
	PID_STUN=$LASTPID
}

start_obi() {	# conf
	[ -z "$OBI" ] && return 1
	spawn "$W/obi.log" "$OBI" -i -R $MAXRATE "$1"
	PID_OBI=$LASTPID
}

start_bb() {	# conf
	[ -z "$BB" ] && return 1
	spawn "$W/bb.log" "$BB" inetd -f -R $MAXRATE "$1"
	PID_BB=$LASTPID
}

start_xin() {	# conf
	[ -z "$XINETD" ] && return 1
	spawn "$W/xinetd.log" "$XINETD" -f "$1" -dontfork \
	    -pidfile "$W/xinetd.pid"
	PID_XIN=$LASTPID
}

# tcpserver: -R no ident lookup, -H no reverse DNS, -l 0 no local name,
# -c raised, -b 128 (openbsd-inetd's listen queue), -u/-g nobody for the
# whole server after binding.  Echo is /bin/cat, daytime /bin/date.
start_tcps() {
	local args="-R -H -l 0 -c 100000 -b 128 -u $NOBODY_UID -g $NOBODY_GID"

	[ -z "$TCPSERVER" ] && return 1
	spawn "$W/tcps1.log" "$TCPSERVER" $args $A_TCPS $P_EXEC \
	    "$W/bin/echoline"
	PIDS_TCPS="$PIDS_TCPS $LASTPID"
	spawn "$W/tcps2.log" "$TCPSERVER" $args $A_TCPS $P_SH \
	    "$W/bin/echod.sh"
	PIDS_TCPS="$PIDS_TCPS $LASTPID"
	spawn "$W/tcps3.log" "$TCPSERVER" $args $A_TCPS 7 /bin/cat
	PIDS_TCPS="$PIDS_TCPS $LASTPID"
	spawn "$W/tcps4.log" "$TCPSERVER" $args $A_TCPS 13 /bin/date
	PIDS_TCPS="$PIDS_TCPS $LASTPID"
}

# The ceilings: refexec per exec'd program (same user, same programs),
# refecho for the built-ins.
start_refs() {
	spawn "$W/refx1.log" "$HERE/refexec" -a $A_REFX -p $P_EXEC \
	    -u nobody "$W/bin/echoline" echoline
	PIDS_REFX="$PIDS_REFX $LASTPID"
	spawn "$W/refx2.log" "$HERE/refexec" -a $A_REFX -p $P_SH \
	    -u nobody "$W/bin/echod.sh" echod.sh
	PIDS_REFX="$PIDS_REFX $LASTPID"
	spawn "$W/refe.log" "$HERE/refecho" -a $A_REFE
	PID_REFE=$LASTPID
}

### Measurements ########################################################

# Scenarios: name, loadgen mode, and per server "address port" or "-".
# Server keys: ceil ours obi xin tcps (and ours0, our plain exec for
# the pledge scenario, our plain echo for the acl one).
SCENARIOS="exec shell echo daytime udp pledge acl tls"
# -s: only these scenarios, and of fair, startup and reload only those
# named.
wanted() { [ -z "$ONLY" ] || [[ $ONLY == *" $1 "* ]]; }
if [ -n "$ONLY" ]; then
	only=""
	for s in $SCENARIOS; do
		wanted "$s" && only="$only $s"
	done
	SCENARIOS=$only
fi
SERVERS="ceil ours obi bb xin tcps"

scen_mode() {
	case $1 in
	daytime) echo eof ;;
	udp) echo udp ;;
	tls) echo tls ;;
	*) echo echo ;;
	esac
}

scen_title() {
	case $1 in
	exec) echo "exec'd nowait TCP service: echoline as nobody" \
	    "(limit: refexec)" ;;
	shell) echo "exec'd shell script: echod.sh as nobody" \
	    "(limit: refexec)" ;;
	echo) echo "built-in TCP echo (limit: refecho; tcpserver runs" \
	    "/bin/cat)" ;;
	daytime) echo "built-in TCP daytime (limit: refecho; tcpserver" \
	    "runs /bin/date)" ;;
	udp) echo "built-in UDP echo (limit: refecho)" ;;
	pledge) echo "exec'd echoline with pledge=\"stdio\" and unveil" \
	    "(limit: refexec without Landlock)" ;;
	acl) echo "built-in TCP echo behind 10 000 allow= and deny= rules" \
	    "(limit: refecho)" ;;
	tls) echo "exec'd echoline over TLS 1.3, a full handshake each" \
	    "(ECDSA P-256; no limit measured)" ;;
	esac
}

scen_servers() {
	case $1 in
	pledge|acl) echo "ceil ours ours0" ;;
	udp) echo "ceil ours obi bb xin" ;;
	tls) echo "ours stunnel" ;;
	*) echo "$SERVERS" ;;
	esac
}

target() {	# scenario server -> "addr port" or ""
	local s=$1 v=$2 port addr

	case $s in
	exec|pledge) port=$P_EXEC ;;
	shell) port=$P_SH ;;
	echo|udp|acl) port=7 ;;
	daytime) port=13 ;;
	tls) port=$P_TLS ;;
	esac
	case $v in
	ceil)	case $s in
		exec|shell|pledge) addr=$A_REFX ;;
		*) addr=$A_REFE ;;
		esac ;;
	ours)	[ -z "$PID_OURS" ] && return
		addr=$A_OURS
		[ $s = pledge ] && port=$P_PLEDGE
		[ $s = acl ] && port=$P_ACL ;;
	ours0)	[ -z "$PID_OURS" ] && return
		addr=$A_OURS ;;
	obi)	[ -z "$PID_OBI" ] && return
		addr=$A_OBI ;;
	bb)	[ -z "$PID_BB" ] && return
		addr=$A_BB ;;
	xin)	[ -z "$PID_XIN" ] && return
		addr=$A_XIN ;;
	tcps)	[ -z "$PIDS_TCPS" ] && return
		addr=$A_TCPS ;;
	stunnel) [ -z "$PID_STUN" ] && return
		addr=$A_STUN ;;
	esac
	[ $s = tls ] && [ $v = ours ] && [ "$OURS_TLS" = 0 ] && return
	echo "$addr $port"
}

declare -A PROBED

# One measurement; appends a line to $RES, or a line with "na".
measure() {	# scenario conc server round
	local s=$1 c=$2 v=$3 r=$4 t mode out tmo=2000

	mode=$(scen_mode "$s")
	[ "$mode" = udp ] && tmo=100
	t=$(target "$s" "$v")
	# Probe once per scenario, server and round: a server that does not
	# answer is n/a for the round without hammering it at every
	# concurrency.
	if [ -z "${PROBED["$s $v $r"]:-}" ]; then
		PROBED["$s $v $r"]=no
		[ -n "$t" ] && answers "$mode" $t 2 && PROBED["$s $v $r"]=yes
	fi
	if [ "${PROBED["$s $v $r"]}" = no ]; then
		echo "$s $c $v $r na na na na" >>"$RES"
		return
	fi
	out=$("$LG" -q -m "$mode" -c "$c" -d "$DUR" -t $tmo $t 2>&1 |
	    grep '^RESULT')
	if [ -z "$out" ] || [ "$(kv tx "$out")" = 0 ]; then
		echo "$s $c $v $r na na na na" >>"$RES"
		return
	fi
	echo "$s $c $v $r $(kv rate "$out") $(kv p50 "$out")" \
	    "$(kv p99 "$out") $(kv err "$out")" >>"$RES"
	# Let the exec'd children of this run finish before the next one.
	sleep 0.2
}

# Memory of a set of processes: "pss_kB rss_kB nproc".
mem_of() {
	local pid pss=0 rss=0 n=0 p r

	for pid in "$@"; do
		[ -r /proc/$pid/smaps_rollup ] || continue
		p=$(awk '/^Pss:/ { print $2 }' /proc/$pid/smaps_rollup)
		r=$(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status)
		pss=$((pss + ${p:-0}))
		rss=$((rss + ${r:-0}))
		n=$((n + 1))
	done
	echo "$pss $rss $n"
}

# Our daemon's own processes: the parent and every descendant with the
# same command name (its listener and spawner) or inetd-tls's (the keys
# and TLS processes), not the services.  The
# name, not the executable's path, so that a rebuilt ./inetd still counts.
ours_pids() {
	local pid all="$PID_OURS" more=1 d stat ppid comm

	[ -z "$PID_OURS" ] && return
	read -r comm 2>/dev/null <"/proc/$PID_OURS/comm" || return
	while [ $more = 1 ]; do
		more=0
		for d in /proc/[0-9]*; do
			read -r stat 2>/dev/null <"$d/stat" || continue
			ppid=$(echo "${stat##*) }" | cut -d' ' -f2)
			pid=${d#/proc/}
			case " $all " in
			*" $pid "*) continue ;;
			esac
			case " $all " in
			*" $ppid "*)
				case $(cat "$d/comm" 2>/dev/null) in
				"$comm"|inetd-tls) ;;
				*) continue ;;
				esac
				all="$all $pid"
				more=1 ;;
			esac
		done
	done
	echo "$all"
}

# Of those, the three that every configuration has: not the keys and
# TLS processes, which only tls= entries start.
core_pids() {
	local pid t

	for pid in $(ours_pids); do
		t=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
		case $t in
		"inetd: keys"*|"inetd: tls"*) ;;
		*) echo "$pid" ;;
		esac
	done
}

MEM=$W/mem	# phase server pss rss nproc
snap_mem() {	# phase
	local ph=$1

	echo "$ph ceil $(mem_of $PIDS_REFX $PID_REFE)" >>"$MEM"
	[ -n "$PID_OURS" ] && echo "$ph ours $(mem_of $(ours_pids))" >>"$MEM"
	[ -n "$PID_OURS" ] && echo "$ph core $(mem_of $(core_pids))" >>"$MEM"
	[ -n "$PID_OBI" ] && echo "$ph obi $(mem_of $PID_OBI)" >>"$MEM"
	[ -n "$PID_BB" ] && echo "$ph bb $(mem_of $PID_BB)" >>"$MEM"
	[ -n "$PID_XIN" ] && echo "$ph xin $(mem_of $PID_XIN)" >>"$MEM"
	[ -n "$PIDS_TCPS" ] && echo "$ph tcps $(mem_of $PIDS_TCPS)" >>"$MEM"
}

# Where the CPU goes (cpu): the exec'd echoline at concurrency 8 for
# CPU_SECS against each server in turn, the others idle, and against
# our pledged one.  Per connection: the machine's busy time
# (/proc/stat), the server's own processes' (utime + stime of the
# daemon, not of the services it starts) and loadgen's; what is left
# is the services' own, from fork to exit, and the kernel's work on no
# process's account (softirqs).  Ticks are 10 ms: a few microseconds
# per connection at these rates.
CPUACCT=$W/cpu	# server round machine_us daemon_us loadgen_us conns
HZ=$(getconf CLK_TCK)
busy_ticks() {	# user, nice, system, irq, softirq; not steal
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

ticks_of() {	# pids -> their utime + stime
	local pid t=0 n

	for pid in "$@"; do
		n=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' \
		    "/proc/$pid/stat" 2>/dev/null) || continue
		t=$((t + ${n:-0}))
	done
	echo $t
}

cpu_one() {	# server round
	local v=$1 r=$2 t pids m0 m1 d0 d1 out tx lg

	case $v in
	ceil)	pids=$PIDS_REFX ;;
	ours|oursp) pids=$(ours_pids) ;;
	obi)	pids=$PID_OBI ;;
	bb)	pids=$PID_BB ;;
	xin)	pids=$PID_XIN ;;
	tcps)	pids=$PIDS_TCPS ;;
	esac
	if [ $v = oursp ]; then
		t=$(target pledge ours)
	else
		t=$(target exec $v)
	fi
	[ -n "$t" ] && [ -n "${pids// /}" ] || return
	answers echo $t 2 || return
	d0=$(ticks_of $pids)
	m0=$(busy_ticks)
	out=$("$LG" -q -m echo -c 8 -d "$CPU_SECS" -t 2000 $t 2>&1 |
	    grep '^RESULT')
	m1=$(busy_ticks)
	d1=$(ticks_of $pids)
	tx=$(kv tx "$out")
	lg=$(kv cpu_us "$out")
	if [ "${tx:-0}" -gt 0 ] && [ -n "$lg" ]; then
		echo "$v $r $(((m1 - m0) * 1000000 / HZ / tx))" \
		    "$(((d1 - d0) * 1000000 / HZ / tx)) $((lg / tx)) $tx" \
		    >>"$CPUACCT"
	fi
	sleep 0.2
}

# Memory alone: each inetd by itself, the only server of the bench
# running, so that the pages it shares with the others (the C library
# above all) are not split with daemons nobody runs beside it: in the
# load phase every server's PSS moves with what the rest map.  Its own
# configuration, ours without the TLS entries (so no keys or TLS
# process shares its pages either); idle once each of its ports
# answered one transaction; loaded after a second of each scenario it
# serves at concurrency 8, then 1.5 s for the last children to go.
ours_only() {	# server scenario: a scenario of ours alone, not this one's
	case $1.$2 in
	ours.*) return 1 ;;
	*.pledge|*.acl) return 0 ;;
	esac
	return 1
}

mem_alone() {	# server
	local v=$1 pid s t

	case $v in
	ours)	[ -n "$OURS" ] || return
		OURS_TLS=0 conf_ours >"$W/ours-alone.conf"
		start_ours_conf "$W/ours-alone.conf"
		pid=$PID_OURS ;;
	obi)	start_obi "$W/obi.conf" || return
		pid=$PID_OBI ;;
	bb)	start_bb "$W/bb.conf" || return
		pid=$PID_BB ;;
	xin)	start_xin "$W/xinetd.conf" || return
		pid=$PID_XIN ;;
	esac
	if wait_answer "$pid" echo $(target exec "$v") 5; then
		for s in shell echo daytime pledge acl; do
			ours_only "$v" "$s" && continue
			t=$(target "$s" "$v")
			[ -n "$t" ] && answers "$(scen_mode "$s")" $t 2
		done
		sleep 0.2
		case $v in
		ours) echo "aidle core $(mem_of $(core_pids))" ;;
		*) echo "aidle $v $(mem_of "$pid")" ;;
		esac >>"$MEM"
		for s in exec shell echo daytime udp pledge acl; do
			ours_only "$v" "$s" && continue
			t=$(target "$s" "$v")
			[ -n "$t" ] && "$LG" -q -m "$(scen_mode "$s")" -c 8 \
			    -d 1 -t 1000 $t >/dev/null 2>&1
		done
		sleep 1.5
		case $v in
		ours) echo "aloaded core $(mem_of $(core_pids))" ;;
		*) echo "aloaded $v $(mem_of "$pid")" ;;
		esac >>"$MEM"
	else
		log "$(name_of $v) alone: no answer; its memory n/a"
	fi
	stop_pid "$pid"
	PID_OURS="" PID_OBI="" PID_BB="" PID_XIN=""
	sleep 0.5
}

# Start-up: from the exec of the daemon until every configured port is
# listening (sock_diag) and the last one has answered one transaction.
STARTUP=$W/startup	# n server round seconds
startup_one() {	# server n round
	local srv=$1 n=$2 r=$3 conf=$W/many.conf addr pid t0 t1 ok=0
	local last=$((P_BASE + n - 1)) deadline

	conf_many "$srv" "$n" >"$conf"
	case $srv in
	ours) addr=$A_OURS ;;
	obi) addr=$A_OBI ;;
	xinetd) addr=$A_XIN ;;
	esac
	t0=$EPOCHREALTIME
	case $srv in
	ours) start_ours_conf "$conf"; pid=$PID_OURS ;;
	obi) start_obi "$conf"; pid=$PID_OBI ;;
	xinetd) start_xin "$conf"; pid=$PID_XIN ;;
	esac
	deadline=$((${t0%.*} + 60))
	while [ "${EPOCHREALTIME%.*}" -lt $deadline ]; do
		kill -0 "$pid" 2>/dev/null || break
		if "$LG" -m listen -d 1 $addr $P_BASE-$last >/dev/null 2>&1 &&
		    answers echo $addr $last 1; then
			ok=1
			break
		fi
	done
	t1=$EPOCHREALTIME
	if [ $ok = 1 ]; then
		echo "$n $srv $r $(sub "$t1" "$t0")" >>"$STARTUP"
		# Memory with n services, once each: the table each holds.
		if [ "$r" = 1 ]; then
			case $srv in
			ours) echo "n$n core $(mem_of $(core_pids))" ;;
			*) echo "n$n $srv $(mem_of "$pid")" ;;
			esac >>"$MEM"
		fi
	else
		echo "$n $srv $r na" >>"$STARTUP"
	fi
	stop_pid "$pid"
	# Let the kernel forget the sockets before the next start.
	sleep 0.3
}

# Reload: with n services up, move the last one to a new port, SIGHUP,
# and time until the new port answers a transaction.
RELOAD=$W/reload	# n server round seconds
reload_one() {	# server n
	local srv=$1 n=$2 conf=$W/reload.conf addr pid i t0 t1 ok moved=0
	local port deadline

	conf_many "$srv" $n >"$conf"
	case $srv in
	ours) addr=$A_OURS; start_ours_conf "$conf"; pid=$PID_OURS ;;
	obi) addr=$A_OBI; start_obi "$conf"; pid=$PID_OBI ;;
	xinetd) addr=$A_XIN; start_xin "$conf"; pid=$PID_XIN ;;
	esac
	if ! wait_answer "$pid" echo $addr $((P_BASE + n - 1)) 30; then
		for ((i = 1; i <= RELOADS; i++)); do
			echo "$n $srv $i na" >>"$RELOAD"
		done
		stop_pid "$pid"
		return
	fi
	for ((i = 1; i <= RELOADS; i++)); do
		moved=$((1 - moved))
		conf_many "$srv" $n $moved >"$conf.new"
		mv "$conf.new" "$conf"
		port=$((P_BASE + n - 1 + moved))
		ok=0
		t0=$EPOCHREALTIME
		kill -HUP "$pid"
		deadline=$((${t0%.*} + 20))
		while [ "${EPOCHREALTIME%.*}" -lt $deadline ]; do
			kill -0 "$pid" 2>/dev/null || break
			if answers echo $addr $port 1; then
				ok=1
				break
			fi
		done
		t1=$EPOCHREALTIME
		if [ $ok = 1 ]; then
			echo "$n $srv $i $(sub "$t1" "$t0")" >>"$RELOAD"
			sleep 0.2
			continue
		fi
		# The old table stays: a later round would time its old port.
		for (( ; i <= RELOADS; i++)); do
			echo "$n $srv $i na" >>"$RELOAD"
		done
	done
	stop_pid "$pid"
	sleep 0.3
}

### Reporting ###########################################################

name_of() {	# server [scenario]
	case $1 in
	ceil) echo "limit" ;;
	ours) echo "inetd" ;;
	oursp) echo "inetd, pledge and unveil" ;;
	core) echo "inetd without TLS processes" ;;
	ours0) [ "${2:-}" = acl ] && echo "inetd, no rules or limits" ||
		echo "inetd, no pledge" ;;
	obi) echo "openbsd-inetd" ;;
	bb) echo "busybox inetd" ;;
	xin|xinetd) echo "xinetd" ;;
	tcps) echo "tcpserver" ;;
	stunnel) echo "stunnel4" ;;
	esac
}

median() {	# numbers on stdin, "na" ignored
	grep -v '^na$' | sort -g | awk '
	    { v[NR] = $1 }
	    END {
		if (NR == 0) { print "na"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
	    }'
}

ratio() {	# a b -> a/b or n/a
	if [ "$1" = na ] || [ "$2" = na ]; then
		echo "n/a"
	else
		echo "$1 $2" | awk '$2 == 0 { print "n/a"; exit }
		    { printf "%.2f\n", $1 / $2 }'
	fi
}

cell() {	# scenario conc server -> "rate [min-max] (p99 ms)" or n/a
	local s=$1 c=$2 v=$3 rate p99 err range

	rate=$(awk -v s="$s" -v c="$c" -v v="$v" \
	    '$1 == s && $2 == c && $3 == v { print $5 }' "$RES" | median)
	p99=$(awk -v s="$s" -v c="$c" -v v="$v" \
	    '$1 == s && $2 == c && $3 == v { print $7 }' "$RES" | median)
	err=$(awk -v s="$s" -v c="$c" -v v="$v" \
	    '$1 == s && $2 == c && $3 == v && $8 != "na" { e += $8 }
	    END { print e + 0 }' "$RES")
	range=$(awk -v s="$s" -v c="$c" -v v="$v" \
	    '$1 == s && $2 == c && $3 == v && $5 != "na" {
		if (n++ == 0 || $5 < lo) lo = $5
		if ($5 > hi) hi = $5 }
	    END { if (n > 1) printf " [%.0f-%.0f]", lo, hi }' "$RES")
	if [ "$rate" = na ]; then
		echo "n/a"
	elif [ "$err" != 0 ]; then
		printf '%.0f%s (%s ms, %s err)\n' "$rate" "$range" "$p99" \
		    "$err"
	else
		printf '%.0f%s (%s ms)\n' "$rate" "$range" "$p99"
	fi
}

rate_of() {	# scenario conc server -> median rate or na
	awk -v s="$1" -v c="$2" -v v="$3" \
	    '$1 == s && $2 == c && $3 == v { print $5 }' "$RES" | median
}

report_scenario() {
	local s=$1 c v hdr sep line others o ceil

	others=$(scen_servers "$s" | tr ' ' '\n' | grep -v '^ceil$' |
	    grep -v '^ours$' | tr '\n' ' ')
	echo
	echo "### $s: $(scen_title "$s")"
	echo
	echo "Transactions per second, median of $ROUNDS round(s) of" \
	    "${DUR} s, the lowest and highest round in brackets;" \
	    "in parentheses the median p99 latency" \
	    "(connect to last byte) and errors summed over rounds." \
	    "Ratios: inetd's rate over the other's (above 1: inetd is" \
	    "faster)."
	echo
	hdr="| conc |"
	sep="| ---: |"
	for v in $(scen_servers "$s"); do
		hdr="$hdr $(name_of "$v" "$s") |"
		sep="$sep ---: |"
	done
	# No ceiling (tls): no inetd/limit column.
	ceil=$(scen_servers "$s" | tr ' ' '\n' | grep -c '^ceil$')
	if [ "$ceil" = 1 ]; then
		hdr="$hdr inetd/limit |"
		sep="$sep ---: |"
	fi
	for o in $others; do
		hdr="$hdr inetd/$(name_of "$o" "$s") |"
		sep="$sep ---: |"
	done
	echo "$hdr"
	echo "$sep"
	for c in $CONCS; do
		line="| $c |"
		for v in $(scen_servers "$s"); do
			line="$line $(cell "$s" "$c" "$v") |"
		done
		[ "$ceil" = 1 ] && line="$line $(ratio \
		    "$(rate_of "$s" "$c" ours)" "$(rate_of "$s" "$c" ceil)") |"
		for o in $others; do
			line="$line $(ratio "$(rate_of "$s" "$c" ours)" \
			    "$(rate_of "$s" "$c" "$o")") |"
		done
		echo "$line"
	done
	case $s in
	pledge)
		echo
		echo "Peers cannot confine a service this way; compare with" \
		    "their plain exec'd figures in the exec table." ;;
	acl)
		echo
		echo "Both echoes are served by the same inetd in the same" \
		    "round; inetd/inetd, no rules or limits is the cost of" \
		    "the lookup and of counting each source (target: 0.98" \
		    "or more)." ;;
	echo)
		echo
		echo "openbsd-inetd and xinetd fork a child for a stream" \
		    "echo; refecho (and a built-in that does not fork)" \
		    "serves it in-process." ;;
	udp)
		echo
		echo "openbsd-inetd drops datagrams from 127/8 by design" \
		    "(dg_badinput), so it cannot be measured on loopback." \
		    "xinetd drains its socket after each reply, so requests" \
		    "that arrive meanwhile are lost: its errors are 100 ms" \
		    "timeouts. tcpserver has no UDP. inetd answers a" \
		    "source at most 5 times a second after a burst of 10," \
		    "and all sources 200 times (the reply budget of its UDP" \
		    "built-ins, against reflection): its rate here is that" \
		    "budget, and its errors are the datagrams over it." ;;
	tls)
		echo
		echo "Both serve the same ECDSA P-256 certificate, TLS 1.3" \
		    "only; the client resumes nothing and checks no" \
		    "certificate. inetd forks a TLS engine per connection" \
		    "and asks its key process for the one signature;" \
		    "stunnel4 holds the key in its own process and runs" \
		    "the handshake in a thread. inetd reads n/a while its" \
		    "TLS entries are refused or its TLS port does not" \
		    "answer." ;;
	esac
}

report_tlsbulk() {
	local v mb line

	echo
	echo "### tls bulk: /bin/cat over TLS 1.3"
	echo
	echo "MB/s (10^6 bytes) each way: $BULK_CONNS connection(s) one" \
	    "after the other, each sending $((BULK_BYTES >> 20)) MiB and" \
	    "reading it back (checked), from connect to the last byte;" \
	    "median of $ROUNDS. Ratio: inetd's over stunnel4's (above 1:" \
	    "inetd is faster)."
	echo
	echo "| inetd | stunnel4 | inetd/stunnel4 |"
	echo "| ---: | ---: | ---: |"
	line="|"
	for v in ours stunnel; do
		mb=$(awk -v v=$v '$1 == v { print $3 }' "$BULK" | median)
		eval "B_$v=$mb"
		if [ "$mb" = na ]; then
			line="$line n/a |"
		else
			line="$line $(printf '%.1f' "$mb") |"
		fi
	done
	echo "$line $(ratio "$B_ours" "$B_stunnel") |"
}

report_filtercost() {
	echo
	echo "### pledge: the price of the filter in each child"
	echo
	echo "Microseconds per vfork child that loads a filter and exits" \
	    "(filtercost, median of the rounds): none, a filter of one" \
	    "instruction, and the filter the spawner builds for each" \
	    "promise set (common/pledge.c), loaded as a child loads it" \
	    "before execve. The kernel checks, converts and compiles a" \
	    "filter for every child that loads one."
	echo
	if [ -s "$FILTERCOST" ]; then
		cat "$FILTERCOST"
	else
		echo "n/a (filtercost failed)"
	fi
}

report_tlscost() {
	echo
	echo "### tls key: the price of the forwarded key"
	echo
	echo "Full TLS 1.3 handshakes per second in one process (tlscost:" \
	    "client and server over a BIO pair, no network, no fork or" \
	    "exec): the key in the server's SSL_CTX (direct, as stunnel4" \
	    "has it), forwarded to a key holder process through" \
	    "tls/forward.c and tls/keysign.c on a fresh socketpair per" \
	    "handshake, and the same with an SSL_CTX per handshake (what" \
	    "an engine exec'd per connection would pay; ours are forked" \
	    "with their context built). The holder's CPU per signature" \
	    "includes its system calls; on a virtual machine the wake-ups" \
	    "between CPUs weigh (compare taskset -c 0 bench/tlscost)."
	echo
	if [ -s "$TLSCOST" ]; then
		cat "$TLSCOST"
	else
		echo "n/a (tlscost failed)"
	fi
}

report_fair() {
	local v rate tx p99 max err

	echo
	echo "### Fairness: 256 clients flood the exec'd echoline for" \
	    "${FAIR_SECS} s; one client asks echod.sh, one request" \
	    "after the other"
	echo
	echo "| server | flood, conn/s | probe answers | probe p99 ms |" \
	    "probe worst ms | probe errors |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	while read -r v rate tx p99 max err; do
		echo "| $(name_of "$v") | $rate | $tx | $p99 | $max | $err |"
	done <"$FAIR"
}

report_cpu() {
	local v m d l n line mb

	[ -s "$CPUACCT" ] || return
	echo
	echo "### Where the CPU goes: the exec'd echoline at concurrency 8"
	echo
	echo "Microseconds of CPU per connection, median of the rounds:" \
	    "the whole machine's (/proc/stat), the server's own processes'" \
	    "(inetd: parent, listener, spawner; not the services), the" \
	    "load generator's, and the rest: the services', from fork to" \
	    "exit, and kernel work on no process's account. Each server" \
	    "alone under load, the others idle; ticks of 10 ms. Last" \
	    "column: inetd's machine time over the server's (above 1:" \
	    "inetd costs more)."
	echo
	echo "| server | connections | machine | server's own |" \
	    "load generator | services and the rest | inetd/server |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	mb=$(awk '$1 == "ours" { print $3 }' "$CPUACCT" | median)
	for v in ceil ours oursp obi bb xin tcps; do
		m=$(awk -v v=$v '$1 == v { print $3 }' "$CPUACCT" | median)
		[ "$m" = na ] && continue
		d=$(awk -v v=$v '$1 == v { print $4 }' "$CPUACCT" | median)
		l=$(awk -v v=$v '$1 == v { print $5 }' "$CPUACCT" | median)
		n=$(awk -v v=$v '$1 == v { print $6 }' "$CPUACCT" | median)
		line="| $(name_of $v) | $n | $m | $d | $l | $((m - d - l)) |"
		echo "$line $(ratio "$mb" "$m") |"
	done
}

report_memory() {
	local v ph pss rss n line ours core ci cl

	echo
	echo "### memory"
	echo
	echo "kB. inetd: PSS summed over its own processes (parent," \
	    "listener, spawner, and the keys and TLS processes that" \
	    "the bench's tls= entries start; not the services; without" \
	    "TLS: the first three only) from" \
	    "/proc/PID/smaps_rollup; the others: same sums over their" \
	    "processes (tcpserver: one process per service, 4; limit:" \
	    "refexec x2 + refecho). RSS counts shared pages in every" \
	    "process. Idle: after start-up, before any load; loaded:" \
	    "after all load rounds."
	echo
	echo "| server | processes idle | PSS idle | RSS idle |" \
	    "processes loaded | PSS loaded | RSS loaded |" \
	    "inetd/server PSS loaded | inetd without TLS/server |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for v in ceil ours core obi bb xin tcps; do
		line="| $(name_of $v) |"
		set -- $(awk -v v=$v '$1 == "idle" && $2 == v {
		    print $3, $4, $5 }' "$MEM")
		line="$line ${3:-0} | ${1:-n/a} | ${2:-n/a} |"
		set -- $(awk -v v=$v '$1 == "loaded" && $2 == v {
		    print $3, $4, $5 }' "$MEM")
		line="$line ${3:-0} | ${1:-n/a} | ${2:-n/a} |"
		ours=$(awk '$1 == "loaded" && $2 == "ours" { print $3 }' "$MEM")
		line="$line $(ratio "${ours:-na}" "${1:-na}") |"
		core=$(awk '$1 == "loaded" && $2 == "core" { print $3 }' "$MEM")
		line="$line $(ratio "${core:-na}" "${1:-na}") |"
		echo "$line"
	done
	if grep -q "^aidle " "$MEM"; then
		echo
		echo "Each inetd alone, the only server of the bench running" \
		    "(inetd: parent, listener and spawner, no TLS entries):" \
		    "PSS, kB. Idle: each port answered once; loaded: after a" \
		    "second of each scenario it serves at concurrency 8 and" \
		    "1.5 s for its children to go."
		echo
		echo "| server | processes | PSS idle | PSS loaded |" \
		    "inetd/server idle | inetd/server loaded |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: |"
		set -- $(awk '$1 == "aidle" && $2 == "core" { print $3 }
		    $1 == "aloaded" && $2 == "core" { print $3 }' "$MEM")
		ci=${1:-na} cl=${2:-na}
		for v in core obi bb xin; do
			set -- $(awk -v v=$v '$1 == "aidle" && $2 == v {
			    print $3, $5 }' "$MEM")
			[ -n "${1:-}" ] || continue
			line="| $(name_of $v) | $2 | $1 |"
			n=$(awk -v v=$v '$1 == "aloaded" && $2 == v {
			    print $3 }' "$MEM")
			line="$line ${n:-n/a} | $(ratio "$ci" "$1") |"
			echo "$line $(ratio "$cl" "${n:-na}") |"
		done
	fi
	for n in $TABLE_SIZES; do
		grep -q "^n$n " "$MEM" || continue
		echo
		echo "With $n exec'd services (the start-up test's table, its" \
		    "first round, once every port answered): PSS, kB."
		echo
		echo "| server | processes | PSS | inetd/server PSS |"
		echo "| --- | ---: | ---: | ---: |"
		core=$(awk -v n=n$n '$1 == n && $2 == "core" { print $3 }' "$MEM")
		for v in core obi xinetd; do
			set -- $(awk -v n=n$n -v v=$v '$1 == n && $2 == v {
			    print $3, $5 }' "$MEM")
			[ -n "${1:-}" ] || continue
			echo "| $(name_of $v) | $2 | $1 |" \
			    "$(ratio "${core:-na}" "$1") |"
		done
	done
}

# One row per table size of the times in file (n server round seconds):
# medians, and ours over each peer's.
report_sizes() {	# file
	local n v t line failed

	echo "| services | inetd | openbsd-inetd | xinetd |" \
	    "inetd/openbsd-inetd | inetd/xinetd |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $TABLE_SIZES; do
		line="| $n |"
		for v in ours obi xinetd; do
			t=$(awk -v n=$n -v v=$v \
			    '$1 == n && $2 == v { print $4 }' "$1" | median)
			# A round that failed fails the cell.
			failed=$(awk -v n=$n -v v=$v \
			    '$1 == n && $2 == v && $4 == "na"' "$1" | wc -l)
			[ "$failed" -gt 0 ] && t=na
			eval "T_$v=$t"
			if [ "$failed" -gt 0 ]; then
				line="$line failed ($failed) |"
			elif [ "$t" = na ]; then
				line="$line n/a |"
			else
				line="$line $(printf '%.3f' "$t") |"
			fi
		done
		line="$line $(ratio "$T_ours" "$T_obi") |"
		line="$line $(ratio "$T_ours" "$T_xinetd") |"
		echo "$line"
	done
}

report_startup() {
	echo
	echo "### start-up"
	echo
	echo "Seconds from exec of the daemon until every configured port" \
	    "listens and the last one has answered an echo transaction" \
	    "(exec'd echoline); median of $STARTUP_ROUNDS. Ratios: inetd's" \
	    "time over the other's (below 1: inetd is faster)."
	echo
	report_sizes "$STARTUP"
}

report_reload() {
	echo
	echo "### reload"
	echo
	echo "Seconds from SIGHUP until the last service, moved to a new" \
	    "port (the rest unchanged), answers; median of $RELOADS" \
	    "reloads. Ratios: inetd's time over the other's (below 1:" \
	    "inetd is faster)."
	echo
	report_sizes "$RELOAD"
}

### Run #################################################################

T_START=$EPOCHREALTIME
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$MEM" >"$STARTUP" >"$RELOAD"

log "== starting servers"
start_refs
wanted tls && [ $TLS_OK = 1 ] && OURS_TLS=1
start_ours || log "ours: not running; its cells will be n/a"
wanted tls && [ $TLS_OK = 1 ] && start_stunnel
conf_obi >"$W/obi.conf"
start_obi "$W/obi.conf"
conf_bb >"$W/bb.conf"
start_bb "$W/bb.conf"
conf_xin >"$W/xinetd.conf"
start_xin "$W/xinetd.conf"
start_tcps
# Everyone gets the same chance to come up.
for t in "$A_REFX $P_EXEC" "$A_REFE 7" "$A_OBI $P_EXEC" "$A_XIN $P_EXEC" \
    "$A_TCPS $P_EXEC" ${BB:+"$A_BB $P_EXEC"}; do
	answers echo $t 5 || log "no answer from $t"
done
[ -n "$PID_STUN" ] && { answers tls $A_STUN $P_TLS 5 ||
    log "no answer from stunnel4 ($A_STUN $P_TLS)"; }
[ "$OURS_TLS" = 1 ] && { answers tls $A_OURS $P_TLS 5 ||
    log "no TLS answer from our inetd ($A_OURS $P_TLS): its TLS cells n/a"; }
snap_mem idle

log "== load: $ROUNDS round(s) x $DUR s, concurrency $CONCS"
for ((r = 1; r <= ROUNDS; r++)); do
	log "   round $r"
	for s in $SCENARIOS; do
		for c in $CONCS; do
			# Rotate the order of the servers from round to round.
			set -- $(scen_servers "$s")
			k=$(( (r - 1) % $# ))
			order="${*:k+1} ${*:1:k}"
			for v in $order; do
				measure "$s" "$c" "$v" "$r"
			done
		done
	done
done
snap_mem loaded
if [ -n "$PID_OURS" ]; then
	if ! kill -0 "$PID_OURS" 2>/dev/null; then
		OURS_NOTE="our inetd exited during the load phase."
	elif grep -qiE 'fatal|restart|killed' "$W/ours.log"; then
		OURS_NOTE="our inetd logged during the load phase:"
	fi
	if [ -n "$OURS_NOTE" ]; then
		log "$OURS_NOTE"
		grep -iE 'fatal|restart|killed' "$W/ours.log" | sort |
		    uniq -c | sort -rn | head -5 >"$W/ours.note"
		sed 's/^/    /' "$W/ours.note" >&2
	fi
fi

# stunnel4 logs at err only; if it died under load, its cells and bulk
# figure are n/a for that reason, which the report says.
STUN_NOTE=""
if [ -n "$PID_STUN" ] && ! kill -0 "$PID_STUN" 2>/dev/null; then
	wait "$PID_STUN" 2>/dev/null
	STUN_NOTE="stunnel4 exited during the load phase (status $?)."
	log "$STUN_NOTE"
	tail -3 "$W/stunnel.log" | sed 's/^/    /' >&2
	PID_STUN=""
fi

# Where the CPU goes: rounds as the rates, the order rotating.
: >"$CPUACCT"
if wanted cpu; then
	log "== cpu: exec'd echoline at concurrency 8, ${CPU_SECS}s each"
	for ((r = 1; r <= ROUNDS; r++)); do
		set -- ceil ours oursp obi bb xin tcps
		k=$(( (r - 1) % $# ))
		for v in ${*:k+1} ${*:1:k}; do
			cpu_one $v $r
		done
	done
fi

# Fairness: 256 clients flood echoline while one client asks echod.sh,
# another exec'd service of the same server, one request after another.
FAIR=$W/fair			# server flood_rate probe_tx probe_p99 probe_max
: >"$FAIR"
log "== fairness: a flood of 256 clients on one service, ${FAIR_SECS}s each"
for v in ours obi bb xin tcps; do
	wanted fair || break
	t=$(target exec "$v")
	[ -n "$t" ] || continue
	answers echo $t 2 || continue
	set -- $t
	"$LG" -q -m echo -c 256 -d "$FAIR_SECS" -t 10000 "$1" "$P_EXEC" \
	    >"$W/flood.out" 2>&1 &
	fl=$!
	probe=$("$LG" -q -m echo -c 1 -d "$FAIR_SECS" -t 10000 "$1" \
	    "$P_SH" 2>&1 | grep '^RESULT')
	wait $fl
	flood=$(grep '^RESULT' "$W/flood.out")
	echo "$v $(kv rate "$flood") $(kv tx "$probe") $(kv p99 "$probe")" \
	    "$(kv max "$probe") $(kv err "$probe")" >>"$FAIR"
	sleep 1
done

# Bulk over TLS: one server after the other, rotating, so that neither
# gets the other's leftovers every time.
BULK=$W/bulk			# server round mbps
: >"$BULK"
if wanted tls; then
	log "== tls bulk: $BULK_CONNS x $((BULK_BYTES >> 20)) MiB each way"
	for ((r = 1; r <= ROUNDS; r++)); do
		order="ours stunnel"
		[ $((r % 2)) = 0 ] && order="stunnel ours"
		for v in $order; do
			case $v in
			ours) [ "$OURS_TLS" = 1 ] && [ -n "$PID_OURS" ] &&
				t="$A_OURS $P_TLSCAT" || t="" ;;
			stunnel) [ -n "$PID_STUN" ] &&
				t="$A_STUN $P_TLSCAT" || t="" ;;
			esac
			out=""
			[ -n "$t" ] && out=$("$HERE/tlsbulk" -b $BULK_BYTES \
			    -n $BULK_CONNS -t 10 $t 2>"$W/bulk.err" |
			    grep '^RESULT')
			if [ -n "$out" ] && [ "$(kv err "$out")" = 0 ]; then
				echo "$v $r $(kv mbps "$out")" >>"$BULK"
			else
				echo "$v $r na" >>"$BULK"
			fi
			sleep 0.2
		done
	done
fi

log "== stopping servers"
for pid in $PIDS; do
	stop_pid "$pid"
done
PID_OURS="" PID_OBI="" PID_BB="" PID_XIN=""
sleep 0.5

# The forwarded key's price apart from everything else a connection
# costs (tlscost), with the servers stopped so that it has the machine.
TLSCOST=$W/tlscost
: >"$TLSCOST"
if wanted tls; then
	log "== tlscost: in-process handshakes, key held or forwarded"
	n=2000
	[ $QUICK = 1 ] && n=500
	"$HERE/tlscost" -n $n >"$TLSCOST" 2>"$W/tlscost.err" ||
	    { log "tlscost failed:"; sed 's/^/    /' "$W/tlscost.err" >&2; }
fi

if wanted memory; then
	log "== memory: each inetd alone"
	for v in ours obi bb xin; do
		mem_alone $v
	done
fi

# A pledge's filter apart, with the servers stopped.
FILTERCOST=$W/filtercost
: >"$FILTERCOST"
if wanted pledge; then
	log "== filtercost: vfork children loading a pledge's filter"
	if [ $QUICK = 1 ]; then
		set -- -n 500 -r 3
	else
		set -- -n 2000 -r 5
	fi
	"$HERE/filtercost" "$@" >"$FILTERCOST" 2>"$W/filtercost.err" ||
	    { log "filtercost failed:"; sed 's/^/    /' "$W/filtercost.err" >&2
	    : >"$FILTERCOST"; }
fi

log "== start-up: $TABLE_SIZES services"
for n in $TABLE_SIZES; do
	wanted startup || break
	for ((r = 1; r <= STARTUP_ROUNDS; r++)); do
		for srv in ours obi xinetd; do
			case $srv in
			ours) [ -z "$OURS" ] && continue ;;
			obi) [ -z "$OBI" ] && continue ;;
			xinetd) [ -z "$XINETD" ] && continue ;;
			esac
			# One failure is enough: do not wait 60 s again.
			grep -q "^$n $srv [0-9]* na$" "$STARTUP" && continue
			startup_one $srv "$n" "$r"
		done
	done
done

log "== reload"
for srv in ours obi xinetd; do
	wanted reload || break
	case $srv in
	ours) [ -z "$OURS" ] && continue ;;
	obi) [ -z "$OBI" ] && continue ;;
	xinetd) [ -z "$XINETD" ] && continue ;;
	esac
	for n in $TABLE_SIZES; do
		reload_one $srv "$n"
	done
done

### Report ##############################################################

echo "## inetd benchmark"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sr), $(nproc) CPUs;" \
    "inetd $OURS_REV;" \
    "openbsd-inetd ${OBI_VERSION:-n/a}; xinetd ${XIN_VERSION:-n/a};" \
    "ucspi-tcp ${TCPS_VERSION:-n/a}; stunnel4 ${STUN_VERSION:-n/a};" \
    "busybox inetd ${BB_VERSION:-n/a} (built by busybox.sh)."
echo "Load average before the run: $LOAD_START; after:" \
    "$(cut -d' ' -f1-3 /proc/loadavg)."
if [ -n "$OURS_NOTE" ]; then
	echo
	echo "Note: $OURS_NOTE"
	echo
	sed 's/^ *\([0-9]*\) /    \1x /' "$W/ours.note"
fi
if [ -n "$STUN_NOTE" ]; then
	echo
	echo "Note: $STUN_NOTE"
fi
for s in $SCENARIOS; do
	report_scenario "$s"
done
wanted tls && report_tlsbulk
wanted tls && report_tlscost
wanted pledge && report_filtercost
wanted fair && report_fair
wanted cpu && report_cpu
report_memory
wanted startup && report_startup
wanted reload && report_reload
echo
printf 'Total run time %.0f s.\n' "$(sub "$EPOCHREALTIME" "$T_START")"
exit
}
