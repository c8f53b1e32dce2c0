#!/usr/bin/env bash
# The engine against PyTorch (CPU) and ONNX Runtime on one network of every catalogue family, in one run:
# a training step at batch 64, 32 px, and batch-1 inference at 224 px (FamilyBenchmark, scripts/peers/families.py).
# Needs Debian's python3-torch. Writes <out>/peers.json, <out>/jmh.json and <out>/ratios.md (default out:
# docs/results/performance). Run it on a quiet machine: every case competes for the same cores.
#   scripts/perf-vs-peers.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/results/performance}"
mkdir -p "$out"
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./docs -prune -o -name '*.java' -newer "$jar" -print -quit)" ]; then
  mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true
fi
java -cp "$jar" org.mobilenas.benchmarks.FamilyGraphs target/family-graphs
threads="$(nproc)"
PATH="$(getconf PATH)" python3 scripts/peers/families.py --graphs target/family-graphs --threads "$threads" \
  --out "$out/peers.json"
java -jar "$jar" Family -rf json -rff "$out/jmh.json"
PATH="$(getconf PATH)" python3 - "$out" "$threads" <<'PY'
import json, sys, pathlib
out, threads = pathlib.Path(sys.argv[1]), sys.argv[2]
peers = json.loads((out / "peers.json").read_text())
engine = {}
for r in json.loads((out / "jmh.json").read_text()):
    name = r["params"]["network"]
    engine.setdefault(name, {})[r["benchmark"].rsplit(".", 1)[1]] = r["primaryMetric"]["score"]
rows = ["| network | engine train step ms | PyTorch ms | ratio | engine inference ms | PyTorch ms | ratio "
        "| ONNX Runtime ms | engine / ONNX Runtime |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
report = {"torch": peers["torch"], "threads": int(threads), "networks": {}}
for name, p in sorted(peers["networks"].items()):
    e = engine.get(name, {})
    tr, inf, ort = e.get("trainStep"), e.get("inference"), e.get("onnxRuntimeInference")
    if tr is None or inf is None or ort is None:
        continue
    row = {"engineTrainStepMs": tr, "torchTrainStepMs": p["trainStepMs"], "trainRatio": tr / p["trainStepMs"],
           "engineInferenceMs": inf, "torchInferenceMs": p["inferenceMs"], "inferenceRatio": inf / p["inferenceMs"],
           "onnxRuntimeInferenceMs": ort, "onnxRuntimeRatio": inf / ort}
    report["networks"][name] = row
    rows.append("| %s | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
        name, tr, p["trainStepMs"], row["trainRatio"], inf, p["inferenceMs"], row["inferenceRatio"], ort,
        row["onnxRuntimeRatio"]))
text = ("# The engine against PyTorch %s and ONNX Runtime, %s threads\n\n" % (peers["torch"], threads)
        + "Training step: batch 64, 32 px, 10 classes, SGD. Inference: batch 1, 224 px, 1000 classes. "
        + "Ratios below 1 mean the engine is faster.\n\n" + "\n".join(rows) + "\n")
(out / "ratios.md").write_text(text)
(out / "ratios.json").write_text(json.dumps(report, indent=2))
print(text)
PY
