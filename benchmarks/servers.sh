# Sourced by the load scripts that start servers of their own (run-http.sh, run-tls.sh,
# run-udp.sh): starting each server pinned to CPU 0 and waiting for its "listening on HOST:PORT"
# line, and stopping every server started, on exit or Ctrl-C.
#
# The sourcing script provides $out (results; the servers' logs go to ${server_logs:-$out}) and
# command_of NAME (the command line of server NAME). This file declares pid_of and port_of (by
# name) and started (pids), and installs the EXIT, INT and TERM traps.

declare -A pid_of port_of
started=()

cleanup() {
  local pid
  for pid in "${started[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  started=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts one server pinned to CPU 0 and waits (at most 30 s) for its "listening on HOST:PORT" line.
start() {
  local name="$1" log="${server_logs:-$out}/server-$1.log" cmd pid
  cmd="$(command_of "$name")"
  # shellcheck disable=SC2086 # the command is split on purpose; no argument holds a space
  taskset -c 0 $cmd > "$log" 2>&1 &
  pid=$!
  started+=("$pid")
  pid_of[$name]=$pid
  for _ in $(seq 300); do
    if grep -qs '^listening on ' "$log"; then
      port_of[$name]="$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$log" | head -1)"
      echo "$name: pid $pid, port ${port_of[$name]}"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; its log ($log):" >&2
  cat "$log" >&2
  exit 1
}
