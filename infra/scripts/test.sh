#!/usr/bin/env bash
# Runs every test of MS2GAN.Pipeline on a fresh machine: `bash infra/scripts/test.sh`.
# The same command is what CI runs (.ci/run) and what the README gives.
#
# Steps: check the toolchain, install what the tests need (idempotent, quiet), build the
# solution, run `dotnet test` with one .trx per test project into artifacts/test-results,
# list skipped tests with their reasons, and print the totals as the last line:
#   N passed, N failed, N skipped
# Exit status: 0 only when the build succeeded, no test failed, the test run did not abort,
# and at least one test passed.
#
# Environment:
#   MS2GAN_NEEDS_RABBITMQ=1   start a local RabbitMQ even without a tests/*Integration* project
#   MS2GAN_TEST_FILTER=EXPR   passed to `dotnet test --filter` (for local runs; CI leaves it unset)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

SOLUTION="MS2GAN.Pipeline.sln"
CONFIGURATION="Release"
RESULTS_DIR="$REPO_ROOT/artifacts/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false

log() { printf '==> %s\n' "$*"; }
fail() { printf 'test.sh: %s\n' "$*" >&2; }

# --- (a) toolchain -------------------------------------------------------------------------

ensure_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        fail "dotnet was not found on PATH. Install the .NET 10 SDK (global.json pins the feature band) and run again."
        exit 2
    fi
    # `dotnet --version` inside the repository honours global.json, so this also catches an SDK
    # that is too old for the pinned feature band.
    local version
    if ! version="$(dotnet --version 2>&1)"; then
        fail "the installed .NET SDK does not satisfy global.json:"
        printf '%s\n' "$version" >&2
        exit 2
    fi
    log "dotnet SDK $version"
    # The .trx summary below is parsed with Python's standard library.
    if ! command -v python3 >/dev/null 2>&1; then
        fail "python3 was not found on PATH; it reads the test results (apt-get install python3)."
        exit 2
    fi
}

# --- (b) services the tests need ------------------------------------------------------------

# RabbitMQ for the integration tests (DESIGN.md: a real broker started by the test script, never a
# mock). Debian's rabbitmq-server package, run as a private node of this test run: its own node name,
# its own ports (AMQP, Erlang distribution and a private epmd, all on 127.0.0.1), its own cookie, data
# and logs under artifacts/rabbitmq, no plugins (so no management or Prometheus listener), and a user
# made for the run. It never touches, and never clashes with, a RabbitMQ (or epmd) already on the
# machine, and it is stopped when this script exits, however it exits.
#
# The tests find it through MS2GAN_TEST_RABBITMQ_HOST/PORT/USER/PASSWORD/VHOST, and through
# MS2GAN_TEST_RABBITMQCTL, a rabbitmqctl bound to this node (they make a virtual host per test with it).
RABBITMQ_STATE_DIR="$REPO_ROOT/artifacts/rabbitmq"
RABBITMQ_NODE="ms2gan-test@localhost"
RABBITMQ_START_TIMEOUT_S=120

# Debian's /usr/sbin/rabbitmq-* wrappers switch to the rabbitmq user (its cookie, no access to
# artifacts/); the scripts behind them in /usr/lib/rabbitmq/bin run as the caller.
rabbitmq_script() {
    local name=$1 candidate
    for candidate in "/usr/lib/rabbitmq/bin/$name" "$(command -v "$name" 2>/dev/null || true)" "/usr/sbin/$name"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

install_rabbitmq() {
    log "installing rabbitmq-server (Debian package)"
    if [[ $(id -u) -ne 0 ]]; then
        fail "rabbitmq-server is missing and installing it needs root (apt-get install rabbitmq-server)."
        exit 2
    fi
    local apt_log
    apt_log="$(mktemp)"
    local -a install=(apt-get install -y -qq --no-install-recommends rabbitmq-server)
    # The package lists are refreshed only when the install fails without them.
    if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >"$apt_log" 2>&1 &&
       ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive "${install[@]}"; } >>"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        fail "could not install rabbitmq-server with apt-get (output above)."
        exit 2
    fi
    rm -f "$apt_log"
    # Debian starts the system's own node on install; it is not ours, and ours does not need it.
}

# Three consecutive ports (AMQP, distribution, epmd) that nothing listens on, below Linux's ephemeral
# range so that outgoing connections do not take them while the node starts.
free_port_block() {
    python3 - <<'PY'
import socket, sys
for base in range(26672, 32700, 7):
    sockets = []
    try:
        for port in range(base, base + 3):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(s)
            s.bind(("127.0.0.1", port))
        print(base)
        sys.exit(0)
    except OSError:
        pass
    finally:
        for s in sockets:
            s.close()
sys.exit(1)
PY
}

# Stops the node that artifacts/rabbitmq/node.env describes (this run's, or one a killed run left
# behind) and its epmd. Quiet and bounded; safe to call when nothing runs.
stop_private_rabbitmq() {
    local env_file="$RABBITMQ_STATE_DIR/node.env"
    [[ -f "$env_file" ]] || return 0
    local ctl="" pid="" epmd_port=""
    # shellcheck disable=SC1090
    ctl="$(. "$env_file" && printf '%s' "$MS2GAN_TEST_RABBITMQCTL")"
    epmd_port="$(. "$env_file" && printf '%s' "$MS2GAN_TEST_RABBITMQ_EPMD_PORT")"
    pid="$(cat "$RABBITMQ_STATE_DIR/rabbitmq.pid" 2>/dev/null || true)"
    if [[ -x "$ctl" ]]; then
        timeout 60 "$ctl" -q stop "$RABBITMQ_STATE_DIR/rabbitmq.pid" >/dev/null 2>&1 || true
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        sleep 2
        kill -9 "$pid" 2>/dev/null || true
    fi
    if [[ -n "$epmd_port" ]]; then
        ERL_EPMD_PORT="$epmd_port" timeout 10 epmd -kill >/dev/null 2>&1 || true
    fi
    rm -f "$env_file"
}

ensure_rabbitmq() {
    local server ctl
    if ! server="$(rabbitmq_script rabbitmq-server)"; then
        install_rabbitmq
        server="$(rabbitmq_script rabbitmq-server)" || { fail "rabbitmq-server is still missing after the install."; exit 2; }
    fi
    ctl="$(rabbitmq_script rabbitmqctl)" || { fail "rabbitmqctl was not found next to rabbitmq-server ($server)."; exit 2; }
    command -v epmd >/dev/null 2>&1 || { fail "epmd (Erlang) was not found on PATH; reinstall rabbitmq-server."; exit 2; }

    # A node left by a run that was killed before its trap ran; then a clean slate every run.
    stop_private_rabbitmq
    rm -rf "$RABBITMQ_STATE_DIR"
    mkdir -p "$RABBITMQ_STATE_DIR"/{home,mnesia,log}

    local base
    base="$(free_port_block)" || { fail "no three free consecutive TCP ports on 127.0.0.1 between 26672 and 32700 for RabbitMQ."; exit 2; }
    local amqp_port=$base dist_port=$((base + 1)) epmd_port=$((base + 2))
    local user="ms2gan-test" password
    password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

    # A private cookie in a private HOME: only this script's rabbitmqctl can talk to the node.
    python3 -c 'import secrets, string; print("".join(secrets.choice(string.ascii_uppercase) for _ in range(32)), end="")' \
        >"$RABBITMQ_STATE_DIR/home/.erlang.cookie"
    chmod 400 "$RABBITMQ_STATE_DIR/home/.erlang.cookie"
    printf '[].\n' >"$RABBITMQ_STATE_DIR/enabled_plugins"
    : >"$RABBITMQ_STATE_DIR/rabbitmq-env.conf"
    cat >"$RABBITMQ_STATE_DIR/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp_port
# The tests never use guest; the run's own user is made below.
loopback_users.guest = true
log.console = false
log.file.level = info
# Small disks in CI: only stop publishers when the disk is really full.
disk_free_limit.absolute = 50MB
CONF

    # The environment of every rabbitmq-server and rabbitmqctl call of this run.
    local -a node_env=(
        HOME="$RABBITMQ_STATE_DIR/home"
        ERL_EPMD_ADDRESS=127.0.0.1
        ERL_EPMD_PORT="$epmd_port"
        RABBITMQ_NODENAME="$RABBITMQ_NODE"
        RABBITMQ_USE_LONGNAME=false
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT="$amqp_port"
        RABBITMQ_DIST_PORT="$dist_port"
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
        RABBITMQ_CONF_ENV_FILE="$RABBITMQ_STATE_DIR/rabbitmq-env.conf"
        RABBITMQ_CONFIG_FILE="$RABBITMQ_STATE_DIR/rabbitmq.conf"
        RABBITMQ_ADVANCED_CONFIG_FILE="$RABBITMQ_STATE_DIR/advanced.config"
        RABBITMQ_ENABLED_PLUGINS_FILE="$RABBITMQ_STATE_DIR/enabled_plugins"
        RABBITMQ_MNESIA_BASE="$RABBITMQ_STATE_DIR/mnesia"
        RABBITMQ_LOG_BASE="$RABBITMQ_STATE_DIR/log"
        RABBITMQ_PID_FILE="$RABBITMQ_STATE_DIR/rabbitmq.pid"
    )
    # rabbitmqctl bound to this node, for the tests and for whoever looks into a failed run.
    local private_ctl="$RABBITMQ_STATE_DIR/rabbitmqctl"
    {
        printf '#!/usr/bin/env bash\n# rabbitmqctl for the private test node %s (written by infra/scripts/test.sh).\n' "$RABBITMQ_NODE"
        printf 'exec env'
        printf ' %q' "${node_env[@]}"
        printf ' %q -n %q "$@"\n' "$ctl" "$RABBITMQ_NODE"
    } >"$private_ctl"
    chmod 700 "$private_ctl"
    cat >"$RABBITMQ_STATE_DIR/node.env" <<ENV
MS2GAN_TEST_RABBITMQ_HOST=127.0.0.1
MS2GAN_TEST_RABBITMQ_PORT=$amqp_port
MS2GAN_TEST_RABBITMQ_USER=$user
MS2GAN_TEST_RABBITMQ_PASSWORD=$password
MS2GAN_TEST_RABBITMQ_VHOST=/
MS2GAN_TEST_RABBITMQ_EPMD_PORT=$epmd_port
MS2GAN_TEST_RABBITMQCTL=$private_ctl
ENV
    # From here on the node is ours to stop, whatever happens next (an interrupt runs the EXIT trap too).
    trap stop_private_rabbitmq EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    log "starting a private RabbitMQ node $RABBITMQ_NODE (AMQP 127.0.0.1:$amqp_port, distribution $dist_port, epmd $epmd_port, data in ${RABBITMQ_STATE_DIR#"$REPO_ROOT"/})"
    # setsid: the node must not get the terminal's Ctrl+C before the trap has stopped it cleanly.
    env "${node_env[@]}" setsid "$server" >"$RABBITMQ_STATE_DIR/log/server.out" 2>&1 </dev/null &
    local server_pid=$!
    local deadline=$((SECONDS + RABBITMQ_START_TIMEOUT_S))
    until timeout 30 "$private_ctl" -q await_startup --timeout 25 >/dev/null 2>&1; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            tail -n 30 "$RABBITMQ_STATE_DIR/log/server.out" >&2 || true
            fail "the private RabbitMQ node exited while starting (output above; logs in ${RABBITMQ_STATE_DIR#"$REPO_ROOT"/}/log)."
            exit 2
        fi
        if ((SECONDS >= deadline)); then
            tail -n 30 "$RABBITMQ_STATE_DIR/log/server.out" >&2 || true
            fail "the private RabbitMQ node did not start within $RABBITMQ_START_TIMEOUT_S s (logs in ${RABBITMQ_STATE_DIR#"$REPO_ROOT"/}/log)."
            exit 2
        fi
        sleep 2
    done

    local setup_log="$RABBITMQ_STATE_DIR/log/setup.out"
    if ! { timeout 60 "$private_ctl" -q add_user "$user" "$password" &&
           timeout 60 "$private_ctl" -q set_user_tags "$user" administrator &&
           timeout 60 "$private_ctl" -q set_permissions -p / "$user" '.*' '.*' '.*' &&
           timeout 60 "$private_ctl" -q delete_user guest; } >"$setup_log" 2>&1; then
        cat "$setup_log" >&2
        fail "could not create the test user on the private RabbitMQ node (output above)."
        exit 2
    fi

    set -a
    # shellcheck disable=SC1091
    . "$RABBITMQ_STATE_DIR/node.env"
    set +a
    log "RabbitMQ is up (user $user)"
}

needs_rabbitmq() {
    [[ "${MS2GAN_NEEDS_RABBITMQ:-0}" == "1" ]] && return 0
    compgen -G "tests/*Integration*" >/dev/null
}

ensure_test_dependencies() {
    # Nothing beyond the .NET SDK yet: NuGet restore brings TorchSharp, ONNX Runtime, SkiaSharp
    # and the backbone models. Add further installs here, each idempotent and quiet.
    if needs_rabbitmq; then
        ensure_rabbitmq
    fi
}

# --- (c) checks that are not dotnet tests ----------------------------------------------------

# docker-compose.yml cannot be run here (no Docker engine), so it is checked with `docker-compose
# config`: the YAML parses, every variable resolves from .env.example, and the services, volumes and
# health checks are well-formed. Debian's docker-compose (1.29) is installed without its recommended
# docker.io engine. Each check adds one to the totals: passed, failed, or skipped with its reason.
SCRIPT_PASSED=0
SCRIPT_FAILED=0
SCRIPT_SKIPPED=0
SCRIPT_REPORT=()

check_compose_file() {
    local name="compose: docker-compose config of docker-compose.yml with .env.example"
    if ! command -v docker-compose >/dev/null 2>&1; then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            log "installing docker-compose (Debian package, without the Docker engine)"
            local -a install=(apt-get install -y -qq --no-install-recommends docker-compose)
            DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null 2>&1 ||
                { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${install[@]}"; } >/dev/null 2>&1 || true
        fi
    fi
    if ! command -v docker-compose >/dev/null 2>&1; then
        SCRIPT_SKIPPED=$((SCRIPT_SKIPPED + 1))
        SCRIPT_REPORT+=("  SKIP $name: docker-compose is not installed and could not be installed (needs root and apt-get)")
        return 0
    fi
    local output
    if output="$(docker-compose --env-file .env.example -f docker-compose.yml config --quiet 2>&1)"; then
        SCRIPT_PASSED=$((SCRIPT_PASSED + 1))
        log "docker-compose.yml is valid (docker-compose config)"
    else
        SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
        SCRIPT_REPORT+=("  FAIL $name: $(tr '\n' ' ' <<<"$output")")
    fi
}

# --- (d) results ----------------------------------------------------------------------------

# Reads every .trx under $RESULTS_DIR, lists failed and skipped tests (with messages/reasons) and
# prints "PASSED FAILED SKIPPED" on its last line for the caller.
summarize_trx() {
    python3 - "$RESULTS_DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
results_dir = sys.argv[1]
passed = failed = skipped = 0
failures, skips, per_assembly = [], [], {}

def text_of(result, *paths):
    for path in paths:
        node = result.find(path)
        if node is not None and node.text and node.text.strip():
            return node.text.strip()
    return ""

for trx in sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True)):
    try:
        root = ET.parse(trx).getroot()
    except ET.ParseError as error:
        print(f"unreadable result file {trx}: {error}", file=sys.stderr)
        failed += 1
        continue
    storages = {d.get("id"): os.path.basename(d.get("storage", "")) for d in root.iter(NS + "UnitTest")}
    for result in root.iter(NS + "UnitTestResult"):
        outcome = result.get("outcome", "")
        name = result.get("testName", "?")
        counts = per_assembly.setdefault(storages.get(result.get("testId"), "?") or "?", [0, 0, 0])
        if outcome == "Passed":
            passed += 1
            counts[0] += 1
        elif outcome == "NotExecuted":
            skipped += 1
            counts[2] += 1
            reason = text_of(result,
                             f"{NS}Output/{NS}ErrorInfo/{NS}Message",
                             f"{NS}Output/{NS}StdOut") or "(no reason given)"
            skips.append((name, reason))
        else:
            # Failed, Error, Timeout, Aborted, Inconclusive...: anything that is not a pass or a skip.
            failed += 1
            counts[1] += 1
            message = text_of(result, f"{NS}Output/{NS}ErrorInfo/{NS}Message") or outcome
            failures.append((name, message.splitlines()[0] if message else outcome))

for assembly, (p, f, s) in sorted(per_assembly.items()):
    print(f"  {assembly}: {p} passed, {f} failed, {s} skipped")
if skips:
    print(f"Skipped tests ({len(skips)}):")
    for name, reason in skips:
        print(f"  SKIP {name}: {' '.join(reason.split())}")
if failures:
    print(f"Failed tests ({len(failures)}):")
    for name, message in failures:
        print(f"  FAIL {name}: {message}")
print(passed, failed, skipped)
PY
}

# --- main -----------------------------------------------------------------------------------

ensure_dotnet
ensure_test_dependencies
check_compose_file

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

# Build once, separately, so that a compile error is reported as such and not as a test failure.
log "building $SOLUTION ($CONFIGURATION)"
build_status=0
dotnet build "$SOLUTION" -c "$CONFIGURATION" -nologo -v:minimal -clp:ErrorsOnly\;Summary || build_status=$?
if ((build_status != 0)); then
    fail "BUILD FAILED (dotnet build exited $build_status); no tests were run. See the errors above."
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

# One .trx per test project. No LogFileName: a fixed name would make the projects of the solution
# overwrite each other's file, while the default name gets a [N] suffix on a clash.
test_args=(
    "$SOLUTION" -c "$CONFIGURATION" --no-build --nologo
    --results-directory "$RESULTS_DIR"
    --logger trx
    --logger "console;verbosity=normal"
    # A hung test would otherwise eat CI's whole time limit in silence: kill its host and say which.
    --blame-hang-timeout 20m --blame-hang-dump-type none
)
if [[ -n "${MS2GAN_TEST_FILTER:-}" ]]; then
    test_args+=(--filter "$MS2GAN_TEST_FILTER")
fi

log "running tests (results in ${RESULTS_DIR#"$REPO_ROOT"/})"
test_status=0
dotnet test "${test_args[@]}" || test_status=$?

trx_count=$(find "$RESULTS_DIR" -name '*.trx' | wc -l)
summary="$(summarize_trx)"
counts="$(tail -n 1 <<<"$summary")"
read -r passed failed skipped <<<"$counts"
if [[ "$summary" == *$'\n'* ]]; then
    printf '%s\n' "${summary%$'\n'*}"
fi
if ((${#SCRIPT_REPORT[@]} > 0)); then
    printf 'Script checks:\n'
    printf '%s\n' "${SCRIPT_REPORT[@]}"
fi
passed=$((passed + SCRIPT_PASSED))
failed=$((failed + SCRIPT_FAILED))
skipped=$((skipped + SCRIPT_SKIPPED))

exit_code=0
if ((failed > 0)); then
    fail "$failed test(s) failed."
    exit_code=1
elif ((test_status != 0)); then
    # A test host that crashed or a run that aborted leaves no failed result behind.
    fail "dotnet test exited $test_status without a failed test in the results ($trx_count .trx file(s)): a test host crashed or the run aborted; see the output above."
    exit_code=1
elif ((passed == 0)); then
    fail "no test passed ($trx_count .trx file(s)); a run that tests nothing is not a pass."
    exit_code=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$exit_code"
