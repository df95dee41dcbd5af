#!/bin/sh
# bench.sh is `make bench`: the Go benchmarks of the policy and the store
# (parse, evaluate, render, log) and a short load run of supportbot against
# the echo floors (tools/echobot: plain, -durable and -durable-ack) through the fake Slack
# (tools/slackload), printed as one table. See BENCHMARKS.md.
#
# Settings, from the environment:
#   GO          the go command (go)
#   COUNT RATE  questions per load run and questions per second (2000, 400)
#   REPEAT      runs of each target, taken in turn; medians are reported (3)
#   WARMUP      questions of the discarded first run of each target (1000)
#   BENCHTIME   -benchtime of the Go benchmarks (1s)
#   JSON        write every figure to this file as JSON (none)
#   FLAGS       more slackload flags, e.g. "-faults all" (none)
set -eu
cd "$(dirname "$0")/.."

GO=${GO:-go}
COUNT=${COUNT:-2000}
RATE=${RATE:-400}
REPEAT=${REPEAT:-3}
WARMUP=${WARMUP:-1000}
BENCHTIME=${BENCHTIME:-1s}
FLAGS=${FLAGS:-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "bench: building supportbot, echobot, slackload" >&2
CGO_ENABLED=0 "$GO" build -trimpath -o "$tmp/supportbot" ./cmd/supportbot
CGO_ENABLED=0 "$GO" build -trimpath -o "$tmp/echobot" ./tools/echobot
"$GO" build -o "$tmp/slackload" ./tools/slackload

echo "bench: go test -bench (policy parse, evaluate, render; store log)" >&2
"$GO" test -run '^$' -benchmem -benchtime "$BENCHTIME" \
	-bench '^Benchmark(Parse_Default|Model_Ask|Answer_Text|DB_LogQuery)$' \
	./policy ./store >"$tmp/gobench.txt"
# The store benchmarks leave the disk busy; let it settle before the load.
sync

echo "bench: load, $COUNT questions at $RATE/s, $REPEAT runs of each target" >&2
# Four targets, REPEAT runs each plus a warm-up, each run sending for
# COUNT/RATE seconds plus start, drain and stop; the harness stops by itself
# after this long in any case.
timeout=$(((REPEAT + 1) * 4 * (COUNT / RATE + 20) + 60))
set -- -bot "$tmp/supportbot" -echo "$tmp/echobot" -count "$COUNT" -rate "$RATE" \
	-repeat "$REPEAT" -warmup "$WARMUP" -timeout "${timeout}s" -gobench "$tmp/gobench.txt"
if [ -n "${JSON:-}" ]; then
	set -- "$@" -json "$JSON"
fi
# FLAGS is split on spaces on purpose.
# shellcheck disable=SC2086
"$tmp/slackload" "$@" $FLAGS
