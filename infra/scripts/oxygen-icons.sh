#!/usr/bin/env bash
# A real-content raw dataset from public images that ship in Debian: the PNG icons of oxygen-icon-theme (issue 15).
# Each icon is an item: its image, the words of its file name as its text ("folder-downloads" -> "folder downloads"),
# its context folder (actions, apps, devices, mimetypes, places, status, ...) as its class. One size (48x48 by default:
# the size with the most icons), symbolic links left out (they are other names of the same icons), names that occur in
# two contexts and files with the same bytes as an earlier one dropped, classes with fewer than MIN_CLASS icons dropped.
# A fixed 20% of each class, chosen by a SHA-256 of the name, is held out. Writes into OUT (not committed):
#   media/CONTEXT/NAME.png       the images (copied, so the manifests are self-contained)
#   train.jsonl                  labelled items, as `ms2gan ingest` reads them (labels [context]; metadata class, split)
#   heldout.jsonl                the held-out items without labels (the class in metadata only), for auto-labels
#   features/                    ResNet18 + MiniLM base features of both as a feature dataset (train_*.npy, test_*.npy,
#                                dataset.json), written by `ms2gan features`; skipped with --no-features
# Installs oxygen-icon-theme with apt-get when it is missing (needs root then); running it again changes nothing.
#   bash infra/scripts/oxygen-icons.sh [OUT] [--size 48x48] [--min-class 10] [--no-features]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO_ROOT/artifacts/data/oxygen-icons" SIZE=48x48 MIN_CLASS=10 FEATURES=1
while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE=$2; shift 2 ;;
        --min-class) MIN_CLASS=$2; shift 2 ;;
        --no-features) FEATURES=0; shift ;;
        -*) echo "oxygen-icons.sh: unknown option $1" >&2; exit 2 ;;
        *) OUT=$1; shift ;;
    esac
done
ICONS=/usr/share/icons/oxygen/base

if ! dpkg-query -W -f='${Status}' oxygen-icon-theme 2>/dev/null | grep -q "install ok installed"; then
    [ "$(id -u)" = 0 ] || { echo "oxygen-icons.sh: oxygen-icon-theme is not installed; run as root (it installs it with apt-get)" >&2; exit 1; }
    echo "==> installing oxygen-icon-theme (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends oxygen-icon-theme >/dev/null
fi
[ -d "$ICONS/$SIZE" ] || { echo "oxygen-icons.sh: no $ICONS/$SIZE (sizes: $(ls "$ICONS" | tr '\n' ' '))" >&2; exit 2; }

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
python3 - "$ICONS/$SIZE" "$OUT" "$MIN_CLASS" <<'PY'
import collections, hashlib, json, os, re, shutil, sys
root, out, min_class = sys.argv[1], sys.argv[2], int(sys.argv[3])
HELD_OUT = 0.2
icons, contexts_of, seen = [], collections.defaultdict(set), {}
for context in sorted(os.listdir(root)):
    folder = os.path.join(root, context)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".png") or os.path.islink(path) or not os.path.isfile(path):
            continue
        stem = name[:-4]
        contexts_of[stem].add(context)
        icons.append((context, stem, path))
kept, dropped = [], collections.Counter()
for context, stem, path in icons:
    if len(contexts_of[stem]) > 1:
        dropped["name in two contexts"] += 1
        continue
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest in seen:
        dropped["same bytes as another icon"] += 1
        continue
    seen[digest] = stem
    kept.append((context, stem, path))
counts = collections.Counter(c for c, _, _ in kept)
classes = sorted(c for c, n in counts.items() if n >= min_class)
for c, n in counts.items():
    if n < min_class:
        dropped[f"class {c} has {n} < {min_class} icons"] += n
words = lambda stem: " ".join(w for w in re.split(r"[-_.+\s]+", stem) if w)
item_id = lambda context, stem: "oxygen-" + context + "-" + re.sub(r"[^A-Za-z0-9._:-]", "_", stem)
train, heldout = [], []
for c in classes:
    members = sorted((s, p) for k, s, p in kept if k == c)
    members.sort(key=lambda m: hashlib.sha256(m[0].encode()).hexdigest())
    held = max(1, round(len(members) * HELD_OUT))
    for i, (stem, path) in enumerate(members):
        rel = os.path.join("media", c, stem + ".png")
        target = os.path.join(out, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target) or open(target, "rb").read() != open(path, "rb").read():
            shutil.copyfile(path, target)
        item = {"id": item_id(c, stem), "image": rel, "text": words(stem)}
        if i < held:
            heldout.append(dict(item, metadata={"class": c, "split": "heldout"}))
        else:
            train.append(dict(item, labels=[c], metadata={"class": c, "split": "train"}))
def write(name, items):
    text = "".join(json.dumps(i, sort_keys=True) + "\n" for i in sorted(items, key=lambda i: i["id"]))
    path = os.path.join(out, name)
    if not os.path.exists(path) or open(path).read() != text:   # unchanged manifests keep their time stamp
        open(path, "w").write(text)
write("train.jsonl", train)
write("heldout.jsonl", heldout)
print(f"oxygen icons {os.path.basename(root)}: {len(train)} labelled, {len(heldout)} held out, {len(classes)} classes: "
      + ", ".join(f"{c} {counts[c]}" for c in classes))
print("left out: " + (", ".join(f"{n} ({why})" for why, n in sorted(dropped.items())) or "nothing"))
PY

if [ "$FEATURES" = 1 ]; then
    FEATURES_DIR="$OUT/features"
    if [ -f "$FEATURES_DIR/dataset.json" ] && [ "$FEATURES_DIR/dataset.json" -nt "$OUT/train.jsonl" ] && [ "$FEATURES_DIR/dataset.json" -nt "$OUT/heldout.jsonl" ]; then
        echo "==> features up to date in $FEATURES_DIR"
    else
        cd "$REPO_ROOT"
        dotnet build services/Host -c Release --nologo -v quiet -clp:ErrorsOnly
        dotnet services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll features --train "$OUT/train.jsonl" --test "$OUT/heldout.jsonl" \
            --out "$FEATURES_DIR" --name oxygen-icons --provider Cpu
    fi
fi
echo "==> $OUT: train.jsonl, heldout.jsonl, media/$( [ "$FEATURES" = 1 ] && echo ', features/')"
