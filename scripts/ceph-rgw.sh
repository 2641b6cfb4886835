#!/usr/bin/env bash
# A one-node Ceph cluster with the RADOS Gateway (S3) for tests and benchmarks, from Debian's
# packages (ceph-mon ceph-osd radosgw; Ceph 16.2 in Debian 12). Everything lives in DIR:
# config, monitor and OSD data, sockets, logs, PID files. Nothing listens beyond 127.0.0.1.
#
#   scripts/ceph-rgw.sh start DIR PORT   the gateway on http://127.0.0.1:PORT; prints one line
#                                        "endpoint=... access=... secret=..." when it answers
#   scripts/ceph-rgw.sh stop DIR [PORT]  kills the daemons that `start DIR` started, then
#                                        removes DIR
#
# The cluster: one monitor, one OSD with the memstore object store (data in memory, nothing
# on disk but small metadata), no manager (the gateway does not need one), cephx off inside
# the cluster (S3 requests are still signed and checked by the gateway against its users).
# Two S3 users are created with known keys (below), the second for permission tests.
#
# Stopping never goes by process name: each daemon's PID is in DIR/run/*.pid, and a PID is
# only killed when its environment holds WLSYNC_CEPH_RGW=DIR (set here for every daemon),
# so a recycled PID or another helper's cluster is never touched.
set -euo pipefail

ACCESS_KEY=${WLSYNC_CEPH_ACCESS_KEY:-WLSYNCTESTKEY0000001}
SECRET_KEY=${WLSYNC_CEPH_SECRET_KEY:-wlsync-test-secret-key-000000000000000001}
OTHER_ACCESS_KEY=WLSYNCOTHERKEY000002
OTHER_SECRET_KEY=wlsync-other-secret-key-00000000000000002

usage() {
  echo "usage: $0 start DIR PORT | stop DIR [PORT]" >&2
  exit 64
}

die() {
  echo "ceph-rgw: $*" >&2
  exit 1
}

# A free TCP port on 127.0.0.1 for the monitor (Node is always there: wl needs it).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'
}

# Whether PID is alive and was started by `start DIR` (its environment carries the marker).
ours() {
  local pid=$1 marker="WLSYNC_CEPH_RGW=$2"
  { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "$marker"
}

# Runs a daemon in the foreground of a background job, with the marker, and records its PID.
launch() {
  local name=$1
  shift
  WLSYNC_CEPH_RGW="$DIR" setsid "$@" </dev/null >>"$DIR/log/$name.out" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

stop_cluster() {
  local dir=$1 pidfile pid
  [[ -d $dir/run ]] || return 0
  # SIGKILL: a memstore OSD would otherwise write all its data out first; nothing here is kept.
  for pidfile in "$dir"/run/*.pid; do
    [[ -e $pidfile ]] || continue
    pid=$(<"$pidfile")
    if [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" "$dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  # Killed daemons may linger as zombies for a moment; wait until none of ours is alive.
  local tries=0
  for pidfile in "$dir"/run/*.pid; do
    [[ -e $pidfile ]] || continue
    pid=$(<"$pidfile")
    while [[ $pid =~ ^[0-9]+$ ]] && ours "$pid" "$dir" && ((tries < 100)); do
      if grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then break; fi
      sleep 0.05
      tries=$((tries + 1))
    done
  done
}

start_cluster() {
  local port=$1
  for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)"
  done
  [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number (got \"$port\")"
  [[ -e $DIR && -n $(ls -A "$DIR" 2>/dev/null) ]] && die "$DIR exists and is not empty"
  mkdir -p "$DIR"/{run,log,crash,mon,osd}
  local mon_port fsid osd_uuid conf="$DIR/ceph.conf"
  mon_port=$(free_port)
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
run dir = $DIR/run
admin socket = $DIR/run/\$cluster-\$name.asok
log file = $DIR/log/\$cluster-\$name.log
crash dir = $DIR/crash
pid file =
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
# The first request answers in about 2 s instead of 13 s.
paxos propose interval = 0.1
paxos min wait = 0.01
osd objectstore = memstore
memstore device bytes = 8G

[mon.a]
mon data = $DIR/mon

[osd.0]
osd data = $DIR/osd

[client.rgw]
# Without it the gateway waits forever for the monitor when cephx is off.
ms mon client mode = crc
# tcp_nodelay: without it every small GET takes 45 ms.
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $DIR/rgw
rgw enable usage log = false
rgw dns name = 127.0.0.1
EOF
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$DIR/monmap" >>"$DIR/log/mkfs.out" 2>&1 || die "ceph-mon --mkfs failed (see $DIR/log/mkfs.out)"
  launch mon ceph-mon -c "$conf" -i a -f
  local id
  id=$(ceph -c "$conf" --connect-timeout 20 osd new "$osd_uuid" 2>>"$DIR/log/mkfs.out") || die "the monitor did not answer (see $DIR/log)"
  [[ $id == 0 ]] || die "unexpected OSD id $id"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$DIR/log/mkfs.out" 2>&1 || die "ceph-osd --mkfs failed (see $DIR/log/mkfs.out)"
  launch osd ceph-osd -c "$conf" -i 0 -f
  launch rgw radosgw -c "$conf" -n client.rgw -f
  local user
  for user in "test $ACCESS_KEY $SECRET_KEY" "other $OTHER_ACCESS_KEY $OTHER_SECRET_KEY"; do
    set -- $user
    radosgw-admin -c "$conf" -n client.rgw user create --uid "$1" --display-name "$1" --access-key "$2" --secret-key "$3" >>"$DIR/log/users.out" 2>&1 ||
      die "radosgw-admin user create $1 failed (see $DIR/log/users.out)"
  done
  # Up when an anonymous request gets any HTTP answer.
  local deadline=$((SECONDS + 60))
  until curl_ok "http://127.0.0.1:$port/"; do
    ((SECONDS < deadline)) || die "the gateway did not answer on 127.0.0.1:$port within 60 s (see $DIR/log)"
    for name in mon osd rgw; do ours "$(<"$DIR/run/$name.pid")" "$DIR" || die "ceph $name exited (see $DIR/log)"; done
    sleep 0.1
  done
  echo "endpoint=http://127.0.0.1:$port access=$ACCESS_KEY secret=$SECRET_KEY other-access=$OTHER_ACCESS_KEY other-secret=$OTHER_SECRET_KEY"
}

# Any HTTP status from URL (no curl on a minimal machine: Node does it).
curl_ok() {
  node -e 'require("http").get(process.argv[1],r=>process.exit(0)).on("error",()=>process.exit(1))' "$1"
}

[[ $# -ge 2 ]] || usage
DIR=$(realpath -m "$2")
case $1 in
start)
  [[ $# -eq 3 ]] || usage
  # Whatever fails half-way, nothing started stays running.
  trap 'stop_cluster "$DIR"' EXIT
  start_cluster "$3"
  trap - EXIT
  ;;
stop)
  stop_cluster "$DIR"
  rm -rf "$DIR"
  ;;
*) usage ;;
esac
