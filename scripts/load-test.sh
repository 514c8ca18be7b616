#!/usr/bin/env bash
# Load test of `trellis serve`: builds the release binary, starts the server on a free port of
# 127.0.0.1, and drives POST /v1/evaluate with wrk for DURATION (default 30s), each request a
# synthetic class of 30 students (`trellis generate --students 30 --format document`).
# Prints throughput, p50/p90/p99 latency and errors; installs wrk (Debian: wrk) when missing.
#
#   scripts/load-test.sh                     # 30 s, 8 connections, 2 wrk threads
#   DURATION=10s CONNECTIONS=4 scripts/load-test.sh
#   WORKERS=2 scripts/load-test.sh           # the server's --workers (default: the number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
STUDENTS=${STUDENTS:-30}
WORKERS=${WORKERS:-$(nproc)}

scripts/install-dependencies.sh
command -v wrk >/dev/null 2>&1 || scripts/apt-install.sh "the load test" wrk

swift build -c release --product trellis >&2
trellis=$(swift build -c release --show-bin-path)/trellis

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$trellis" generate --students "$STUDENTS" --format document --seed 7 >"$work/class.json"

"$trellis" serve --port 0 --workers "$WORKERS" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
done
url=$(grep -o 'http://[^ ]*' "$work/serve.out" | head -1)
if [[ -z $url ]]; then
    echo "the server did not start:" >&2
    cat "$work/serve.err" >&2
    exit 1
fi

# One request by hand first: the body must be answered with 200 before it is worth timing.
status=$(curl -s -o "$work/first.json" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/class.json" "$url/v1/evaluate")
if [[ $status != 200 ]]; then
    echo "POST /v1/evaluate answered $status:" >&2
    head -c 500 "$work/first.json" >&2
    exit 1
fi

cat >"$work/post.lua" <<'LUA'
local file = assert(io.open(os.getenv("TRELLIS_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format("requests     %d in %.1f s\n", summary.requests, seconds))
  io.write(string.format("throughput   %.1f requests/s (%.0f students/s)\n", summary.requests / seconds,
    summary.requests / seconds * tonumber(os.getenv("TRELLIS_STUDENTS"))))
  io.write(string.format("latency      p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors       %d non-2xx, %d connect, %d read, %d write, %d timeout\n",
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
LUA

echo "trellis serve --workers $WORKERS; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $STUDENTS students ($(wc -c <"$work/class.json") bytes) a request; $(nproc) cores"
TRELLIS_BODY="$work/class.json" TRELLIS_STUDENTS="$STUDENTS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$work/post.lua" "$url/v1/evaluate" | tail -4
evaluated=$(curl -s "$url/metrics" | awk '/^trellis_students_evaluated_total /{print $2}')
echo "server       ${evaluated:-?} students evaluated (from /metrics)"
