#!/usr/bin/env bash
# Smoke test of the embedded default, as `make run` starts it: in a throwaway MAJLIS_VAR_DIR it
# migrates, loads the demo data, serves on a free port, and checks that the pages answer in Arabic.
# Needs the venv that `make install` (or `make test`) creates. Usage: scripts/smoke.sh
set -euo pipefail

cd "$(dirname "$0")/.."
MAJLIS=${MAJLIS:-.venv/bin/majlis}
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$MAJLIS" ] || { echo "smoke: $MAJLIS not found; run 'make install' first" >&2; exit 1; }

var_dir=$(mktemp -d "${TMPDIR:-/tmp}/majlis-smoke.XXXXXX")
export MAJLIS_VAR_DIR=$var_dir MAJLIS_PROFILE=embedded
unset DATABASE_URL REDIS_URL
server_pid=""

cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then
    # The server runs in its own process group (setsid): uvicorn and db_worker are in it too.
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      pgrep -g "$server_pid" >/dev/null 2>&1 || break
      sleep 0.2
    done
    if pgrep -g "$server_pid" >/dev/null 2>&1; then
      echo "smoke: server did not stop on SIGTERM; killing it" >&2
      kill -KILL -- "-$server_pid" 2>/dev/null || true
      sleep 0.5
    fi
    if pgrep -g "$server_pid" >/dev/null 2>&1 || pgrep -f -- "--port $port --no-server-header" >/dev/null; then
      echo "smoke: processes left behind:" >&2
      pgrep -a -g "$server_pid" >&2 || true
      pgrep -a -f -- "--port $port --no-server-header" >&2 || true
      status=1
    fi
  fi
  if [ "$status" -ne 0 ] && [ -f "$var_dir/serve.log" ]; then
    echo "--- server log (last 40 lines) ---" >&2
    tail -n 40 "$var_dir/serve.log" >&2 || true
  fi
  rm -rf "$var_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

echo "smoke: var dir $var_dir"
"$MAJLIS" migrate --no-input -v0
"$MAJLIS" load_demo >/dev/null
echo "smoke: migrated and loaded the demo data"

setsid "$MAJLIS" serve --port "$port" >"$var_dir/serve.log" 2>&1 < /dev/null &
server_pid=$!
# setsid ran in place (a background job of a script is no group leader), so its pid is the group's.
[ "$(ps -o pgid= -p "$server_pid" | tr -d ' ')" = "$server_pid" ] || {
  echo "smoke: the server is not in its own process group" >&2; exit 1; }
echo "smoke: serving at $base/ (pid $server_pid)"

deadline=$((SECONDS + 60))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "smoke: the server exited before answering /healthz" >&2; exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "smoke: /healthz did not answer 200 within 60 s" >&2; exit 1
  fi
  sleep 0.5
done
echo "smoke: /healthz answers 200"

check_page() {  # check_page PATH TEXT...
  local path=$1; shift
  local body=$var_dir/page.html code
  code=$(curl -s -o "$body" -w '%{http_code}' "$base$path")
  if [ "$code" != 200 ]; then
    echo "smoke: $path answered $code, not 200" >&2; exit 1
  fi
  for text in 'dir="rtl"' "$@"; do
    if ! grep -qF -- "$text" "$body"; then
      echo "smoke: $path lacks $text" >&2; exit 1
    fi
  done
  echo "smoke: $path answers 200, right to left, in Arabic"
}

check_page / "إمارة منطقة نجران"
check_page /najran/services/emirate-appointment/ "إمارة منطقة نجران"
check_page /ajman/queue/qareeb/ "قد قرأت الشروط والأحكام وأوافق عليها"
check_page /ajman/queue/board/AJ/ "AJ"

# The branch feed answers over a WebSocket under `majlis serve` (the embedded hub, no Redis).
"$PYTHON" - "$port" <<'PY'
import asyncio, sys
import websockets

async def main(port: str) -> None:
    url = f"ws://127.0.0.1:{port}/ws/queue/ajman/AJ/"
    async with websockets.connect(url, origin=f"http://127.0.0.1:{port}") as socket:
        await socket.send("ping")
        assert await asyncio.wait_for(socket.recv(), 10) == "pong"

asyncio.run(main(sys.argv[1]))
PY
echo "smoke: the branch feed answers over a WebSocket"

echo "smoke: passed"
