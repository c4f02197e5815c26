#!/usr/bin/env bash
# Runs every test of MS2GAN.Pipeline on a fresh machine: `bash infra/scripts/test.sh`.
# The same command is what CI runs (.ci/run) and what the README gives.
#
# Steps: check the toolchain, install what the tests need (idempotent, quiet), build the
# solution, run `dotnet test` with one .trx per test project into artifacts/test-results,
# lint the OpenAPI document a test saved (Redocly CLI), list skipped tests with their reasons, and
# print the totals: "N skipped", then as the very last line
#   N passed, N failed
# That last line is printed however the script ends (a missing tool, a broker that does not start, a
# failed build): an early end prints "0 passed, 1 failed".
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

# RabbitMQ for the integration tests: a private node (infra/scripts/lib/rabbitmq.sh), stopped by finish.
RABBITMQ_CALLER_TRAPS_EXIT=1
# shellcheck source=lib/rabbitmq.sh
. "$REPO_ROOT/infra/scripts/lib/rabbitmq.sh"

# On every exit: stop the private broker, and make sure the closing totals line is the last line.
TOTALS_PRINTED=0
finish() {
    stop_private_rabbitmq
    if ((TOTALS_PRINTED == 0)); then
        echo "0 passed, 1 failed"
    fi
}
trap finish EXIT

needs_rabbitmq() {
    [[ "${MS2GAN_NEEDS_RABBITMQ:-0}" == "1" ]] && return 0
    compgen -G "tests/*Integration*" >/dev/null
}

# Headless Chromium for the browser tests of the web page (tests/MS2GAN.WebPage.Tests): Debian's chromium and
# its chromedriver, driven by Selenium through their paths, so no browser is ever downloaded. A font comes with
# them, or a clean machine would draw the page's text as boxes. Without root the tests are skipped, saying why.
ensure_chromium() {
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        log "chromium and chromium-driver are missing and installing them needs root and apt-get: the browser tests will be skipped"
        return 0
    fi
    apt_install "chromium and chromium-driver" chromium chromium-driver fonts-dejavu-core
}

ensure_test_dependencies() {
    # NuGet restore brings TorchSharp, ONNX Runtime, SkiaSharp and the backbone models; the rest comes
    # from Debian packages here, each install idempotent and quiet.
    if needs_rabbitmq; then
        ensure_rabbitmq
    fi
    ensure_chromium
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
    if ! output="$(docker-compose --env-file .env.example -f docker-compose.yml config 2>&1)"; then
        SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
        SCRIPT_REPORT+=("  FAIL $name: $(tr '\n' ' ' <<<"$output")")
        return 0
    fi
    # Every image is built from a Dockerfile that exists, and the services' one Dockerfile (infra/docker/service.Dockerfile)
    # is told, by its SERVICE argument, a project that exists.
    local problems=() dockerfile service
    while read -r dockerfile; do
        [[ -f "$dockerfile" ]] || problems+=("no Dockerfile $dockerfile")
    done < <(sed -n 's/^ *dockerfile: *//p' <<<"$output")
    while read -r service; do
        [[ -f "services/$service/MS2GAN.$service.csproj" ]] || problems+=("SERVICE $service names no project (services/$service)")
    done < <(sed -n 's/^ *SERVICE: *//p' <<<"$output")
    if ((${#problems[@]} > 0)); then
        SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
        SCRIPT_REPORT+=("  FAIL $name: ${problems[*]}")
    else
        SCRIPT_PASSED=$((SCRIPT_PASSED + 1))
        log "docker-compose.yml is valid (docker-compose config) and builds from existing Dockerfiles and projects"
    fi
}

# The OpenAPI document of `ms2gan serve`, saved by OpenApiDocumentTests, linted with Redocly CLI's recommended rules
# (infra/openapi/redocly.yaml says which are left off and why). Redocly comes from the npm registry, pinned, into
# artifacts/tools; without npm the check is skipped with the reason.
REDOCLY_VERSION="2.77.0"
check_openapi_document() {
    local name="openapi: redocly lint (recommended rules) of the document ms2gan serve publishes"
    local document="$REPO_ROOT/artifacts/openapi/v1.json"
    if [[ ! -f "$document" ]]; then
        if [[ -n "${MS2GAN_TEST_FILTER:-}" ]]; then
            return 0 # a filtered run may leave out the test that saves it
        fi
        SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
        SCRIPT_REPORT+=("  FAIL $name: the test that saves ${document#"$REPO_ROOT"/} did not write it")
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        SCRIPT_SKIPPED=$((SCRIPT_SKIPPED + 1))
        SCRIPT_REPORT+=("  SKIP $name: npm is not installed (Node.js brings it)")
        return 0
    fi
    local tools="$REPO_ROOT/artifacts/tools/redocly"
    if [[ ! -x "$tools/node_modules/.bin/redocly" ]]; then
        log "installing @redocly/cli $REDOCLY_VERSION (npm)"
        if ! npm install --prefix "$tools" --no-audit --no-fund --silent "@redocly/cli@$REDOCLY_VERSION" >/dev/null 2>&1; then
            SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
            SCRIPT_REPORT+=("  FAIL $name: npm could not install @redocly/cli@$REDOCLY_VERSION")
            return 0
        fi
    fi
    local output
    if output="$("$tools/node_modules/.bin/redocly" lint "$document" --config "$REPO_ROOT/infra/openapi/redocly.yaml" --format=stylish 2>&1)"; then
        SCRIPT_PASSED=$((SCRIPT_PASSED + 1))
        log "the OpenAPI document passes redocly lint"
    else
        SCRIPT_FAILED=$((SCRIPT_FAILED + 1))
        SCRIPT_REPORT+=("  FAIL $name: $(grep -E 'error|warning' <<<"$output" | tr '\n' ' ')")
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

rm -rf "$RESULTS_DIR" "$REPO_ROOT/artifacts/openapi"
mkdir -p "$RESULTS_DIR"

# Build once, separately, so that a compile error is reported as such and not as a test failure.
log "building $SOLUTION ($CONFIGURATION)"
build_status=0
dotnet build "$SOLUTION" -c "$CONFIGURATION" -nologo -v:minimal -clp:ErrorsOnly\;Summary || build_status=$?
if ((build_status != 0)); then
    fail "BUILD FAILED (dotnet build exited $build_status); no tests were run. See the errors above."
    TOTALS_PRINTED=1
    echo "0 passed, 1 failed"
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

check_openapi_document
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

echo "$skipped skipped"
TOTALS_PRINTED=1
echo "$passed passed, $failed failed"
exit "$exit_code"
