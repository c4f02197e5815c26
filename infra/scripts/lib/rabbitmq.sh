#!/usr/bin/env bash
# A private RabbitMQ node for a test or benchmark run, sourced by infra/scripts/test.sh and
# infra/scripts/bench-pipeline.sh. The caller defines log() and fail() and REPO_ROOT, may set
# RABBITMQ_STATE_DIR and RABBITMQ_NODE before sourcing, then calls ensure_rabbitmq.

# RabbitMQ for the integration tests (DESIGN.md: a real broker started by the test script, never a
# mock). Debian's rabbitmq-server package, run as a private node of this test run: its own node name,
# its own ports (AMQP, Erlang distribution and a private epmd, all on 127.0.0.1), its own cookie, data
# and logs under artifacts/rabbitmq, no plugins (so no management or Prometheus listener), and a user
# made for the run. It never touches, and never clashes with, a RabbitMQ (or epmd) already on the
# machine, and it is stopped when this script exits, however it exits.
#
# The tests find it through MS2GAN_TEST_RABBITMQ_HOST/PORT/USER/PASSWORD/VHOST, and through
# MS2GAN_TEST_RABBITMQCTL, a rabbitmqctl bound to this node (they make a virtual host per test with it).
RABBITMQ_STATE_DIR="${RABBITMQ_STATE_DIR:-$REPO_ROOT/artifacts/rabbitmq}"
RABBITMQ_NODE="${RABBITMQ_NODE:-ms2gan-test@localhost}"
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

# shellcheck source=apt.sh
. "$REPO_ROOT/infra/scripts/lib/apt.sh"

install_rabbitmq() {
    apt_install rabbitmq-server rabbitmq-server
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
    # A caller with its own EXIT handler (RABBITMQ_CALLER_TRAPS_EXIT=1) calls stop_private_rabbitmq from it.
    if [[ "${RABBITMQ_CALLER_TRAPS_EXIT:-0}" != 1 ]]; then
        trap stop_private_rabbitmq EXIT
    fi
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
