#!/usr/bin/env bash
# Hearth's distributed mode on one machine, as processes (no containers for Hearth itself):
# NATS with JetStream, one control plane and HEARTH_NODES pool managers sharing HEARTH_DATA.
# Run it as root on Debian, like ./hearth: it installs nats-server (and curl) when missing and
# runs `./hearth images` (toolchain, dockerd, runtime images, jar) first. Ctrl-C stops everything.
#
#   deploy/local.sh
#   HEARTH_NODES=3 HEARTH_PORT=9090 deploy/local.sh
#
#   HEARTH_NODES        pool managers, pm1..pmN (default 2), on ports 8091, 8092, ...
#   HEARTH_PORT         the control plane's port (default 8080)
#   NATS_PORT           NATS client port (default 4222)
#   HEARTH_DATA         shared data folder (default data-cluster; relative to the repository)
#   HEARTH_LOCAL_STATE  NATS store and logs (default $HEARTH_DATA/local)
# Any other HEARTH_* variable (pool sizes, HEARTH_JAVA_OPTS, ...) applies to every Hearth process.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[local] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

NODES=${HEARTH_NODES:-2}
CP_PORT=${HEARTH_PORT:-8080}
NATS_PORT=${NATS_PORT:-4222}
PM_BASE_PORT=8091
DATA=$(realpath -m "${HEARTH_DATA:-data-cluster}")
STATE=$(realpath -m "${HEARTH_LOCAL_STATE:-$DATA/local}")
LOGS=$STATE/logs
JAR=control-plane/target/hearth.jar
READY_TIMEOUT=180
read -r -a JAVA_OPTS <<<"${HEARTH_JAVA_OPTS:-}"

[[ $NODES =~ ^[1-9][0-9]*$ ]] || die "HEARTH_NODES must be a positive number, not '$NODES'"

find_nats() { command -v nats-server || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; }; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "$NATS_PORT" "$CP_PORT" $(seq "$PM_BASE_PORT" $((PM_BASE_PORT + NODES - 1))); do
  if port_busy "$port"; then die "port $port is already in use"; fi
done

# --- set-up: nats-server and curl from Debian, then the jar and the images -------------------
missing=()
find_nats >/dev/null || missing+=(nats-server)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root so it can be installed, or install it yourself"
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
NATS=$(find_nats)
./hearth images

# --- processes --------------------------------------------------------------------------------
names=() pids=()

# Stops the given pids with TERM, waits up to 60 s, then KILLs what is left.
# shellcheck disable=SC2317  # only reached from the EXIT trap
stop() {
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  local pid alive
  for _ in $(seq 600); do
    alive=
    for pid; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
  for pid; do wait "$pid" 2>/dev/null || true; done
}

# Hearth first (pool managers remove their containers on the way out), NATS last.
# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
  trap - EXIT
  trap '' INT TERM
  ((${#pids[@]})) || return 0
  say "stopping ${names[*]:1}, then nats"
  stop "${pids[@]:1}"
  stop "${pids[0]}"
  # A pool manager that was killed left its containers; a clean stop has removed them already.
  for i in $(seq "$NODES"); do
    docker ps -aq --filter "label=dev.hearth.node=pm$i" | xargs -r docker rm -f >/dev/null 2>&1 || true
  done
  say "stopped; logs in $LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: in its own session, so a Ctrl-C reaches only this script, which then
# stops the children in order.
start() {
  local name=$1
  shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  names+=("$name")
  pids+=("$!")
}

show_logs() {
  local name
  for name in "${names[@]}"; do
    printf '\n==> %s <==\n' "$LOGS/$name.log" >&2
    tail -n 25 "$LOGS/$name.log" >&2 || true
  done
}

# The name of a child that has exited, if any.
exited() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then echo "${names[$i]}"; return 0; fi
  done
  return 1
}

mkdir -p "$STATE/nats" "$LOGS" "$DATA"

start nats "$NATS" -c deploy/nats/nats.conf -js -sd "$STATE/nats" -a 127.0.0.1 -p "$NATS_PORT"
for _ in $(seq 100); do port_busy "$NATS_PORT" && break; sleep 0.1; done
port_busy "$NATS_PORT" || { show_logs; die "NATS did not start"; }

export HEARTH_NATS_URL=nats://127.0.0.1:$NATS_PORT HEARTH_DATA=$DATA
ports=("$CP_PORT")
start cp1 env HEARTH_NODE_ID=cp1 HEARTH_PORT="$CP_PORT" java "${JAVA_OPTS[@]}" -jar "$JAR" control-plane
for i in $(seq "$NODES"); do
  port=$((PM_BASE_PORT + i - 1))
  ports+=("$port")
  start "pm$i" env HEARTH_NODE_ID="pm$i" HEARTH_PORT="$port" java "${JAVA_OPTS[@]}" -jar "$JAR" pool-manager
done

# --- wait until every Hearth process answers GET /healthz with 200 ----------------------------
say "waiting for ${names[*]:1} to be ready (up to $READY_TIMEOUT s)"
deadline=$((SECONDS + READY_TIMEOUT))
while :; do
  if dead=$(exited); then show_logs; die "$dead exited while starting"; fi
  ready=1
  for port in "${ports[@]}"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true)
    [ "$code" = 200 ] || { ready=; break; }
  done
  [ -z "$ready" ] || break
  if ((SECONDS >= deadline)); then show_logs; die "not ready after $READY_TIMEOUT s"; fi
  sleep 1
done

pm_list=
for i in $(seq "$NODES"); do pm_list+=" pm$i:${ports[$i]}"; done
cat >&2 <<EOF
[local] ready
  API             http://127.0.0.1:$CP_PORT  (control plane cp1)
  pool managers  $pm_list  (GET /healthz)
  NATS            nats://127.0.0.1:$NATS_PORT  (JetStream in $STATE/nats)
  data            $DATA
  logs            $LOGS/{$(IFS=,; echo "${names[*]}")}.log
Ctrl-C stops everything.
EOF

# --- run until Ctrl-C/TERM, or until NATS or the control plane exits --------------------------
# A pool manager that exits (or is killed, to watch calls move) is reported; the rest go on.
while :; do
  wait -n || true
  dead=$(exited) || continue
  case $dead in
    pm*)
      say "$dead exited; calls go to the other nodes (log: $LOGS/$dead.log)"
      for i in "${!names[@]}"; do
        if [ "${names[$i]}" = "$dead" ]; then unset 'names[i]' 'pids[i]'; fi
      done
      names=("${names[@]}") pids=("${pids[@]}")
      ;;
    *)
      show_logs
      die "$dead exited; stopping the others"
      ;;
  esac
done
