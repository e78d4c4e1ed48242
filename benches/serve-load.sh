#!/usr/bin/env bash
# Load test of `vigie serve` on loopback (issue 13): CLIENTS concurrent
# keep-alive clients (wrk, from Debian's packages) search the queries of
# QUERIES in turn for DURATION seconds, while IDLE more connections are
# opened and left silent (half of them with a request cut off after its
# first line), to show that such clients do not block the others.
# Prints wrk's figures (requests/s, latency p50/p90/p99) and fails when a
# request failed (socket error, timeout, or any status but 200).
#
# usage: benches/serve-load.sh INDEX [QUERIES] [DURATION] [CLIENTS] [IDLE]
#   defaults: benches/queries.txt, 30 s, 64 clients, 100 idle connections
# The index must exist (e.g. `vigie index --index /tmp/vlarge
# ../shared/corpus/large-fr-*.jsonl.gz`); nothing is written anywhere else.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
index="${1:?usage: benches/serve-load.sh INDEX [QUERIES] [DURATION] [CLIENTS] [IDLE]}"
queries="$(realpath "${2:-$root/benches/queries.txt}")"
duration="${3:-30}"
clients="${4:-64}"
idle="${5:-100}"

command -v wrk >/dev/null || { echo "serve-load: wrk is missing (apt-get install wrk)" >&2; exit 2; }
(cd "$root" && cargo build --release --quiet --bin vigie)
log="$(mktemp)"
"$(cd "$root" && realpath "${CARGO_TARGET_DIR:-target}")/release/vigie" serve --index "$index" --bind 127.0.0.1:0 2>"$log" &
server=$!
idler=""
trap 'kill $server ${idler:-} 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q 'http://' "$log" && break; sleep 0.1; done
base="$(grep -o 'http://[^/ ]*' "$log" | head -1)"
[ -n "$base" ] || { cat "$log" >&2; exit 2; }
addr="${base#http://}"

python3 - "$addr" "$idle" "$duration" <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
socks = []
for i in range(int(sys.argv[2])):
    s = socket.create_connection((host, int(port)))
    if i % 2:
        s.sendall(b"GET /api/search?q=otan HTTP/1.1\r\nHost: x\r\n")
    socks.append(s)
time.sleep(float(sys.argv[3]) + 2)
PY
idler=$!
sleep 0.5

echo "serve-load: $clients clients for ${duration} s, $idle idle connections, queries from $queries, index $index"
out="$(VIGIE_LOAD_QUERIES="$queries" wrk -t "$(( clients < 2 ? 1 : 2 ))" -c "$clients" -d "${duration}s" --timeout 10s --latency \
    -s "$root/benches/serve-load.lua" "$base")"
echo "$out"
if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "serve-load: FAILED: some requests did not get a 200" >&2
    exit 1
fi
echo "serve-load: 0 errors"
