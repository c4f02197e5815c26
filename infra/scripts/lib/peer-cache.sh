#!/usr/bin/env bash
# Sourced by bench-peers.sh. peer_cached KEY DATA_DIR LOG COMMAND...: runs a peer whose output depends only on its script, its
# data and its arguments (a seeded DSCMR run: about 10 CPU-minutes each on the 2-core machine) and keeps its output in
# PEER_CACHE (default artifacts/bench/peer-cache; ignored by git), named by a hash of the script, a hash of the dataset's six
# .npy files and KEY. The same script on the same data with the same KEY is then read back instead of run again, and LOG
# says so on its first line. PEER_CACHE=off runs every peer afresh.
PEER_CACHE="${PEER_CACHE:-${REPO_ROOT:-.}/artifacts/bench/peer-cache}"

peer_cached() {
    local key=$1 data=$2 log=$3 script=$5
    shift 3
    local fingerprint tool cached
    fingerprint=$(cat "$data"/train_image.npy "$data"/train_text.npy "$data"/train_labels.npy \
        "$data"/test_image.npy "$data"/test_text.npy "$data"/test_labels.npy | sha256sum | cut -c1-16)
    tool=$(sha256sum "$script" | cut -c1-12)
    cached="$PEER_CACHE/$tool-$fingerprint-$key.log"
    if [ "$PEER_CACHE" != off ] && [ -s "$cached" ]; then
        { echo "(reused from $cached, written $(date -u -r "$cached" '+%Y-%m-%d %H:%M UTC'))"; cat "$cached"; } > "$log"
        cat "$log"
        return 0
    fi
    "$@" > "$log.partial" 2>&1
    local status=$?
    cat "$log.partial"
    mv "$log.partial" "$log"
    if [ "$status" -eq 0 ] && [ "$PEER_CACHE" != off ]; then
        mkdir -p "$PEER_CACHE" && cp "$log" "$cached"
    fi
    return "$status"
}
