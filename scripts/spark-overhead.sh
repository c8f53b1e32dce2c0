#!/usr/bin/env bash
# The Spark path's overhead: the same MnasNet search of 16 candidates (proxy training: 5,000 Fashion-MNIST images,
# one epoch, batch 32) with the local evaluator and with SparkEvaluator on embedded local[1] and local[2].
# Writes docs/results/spark/<run>/{search.jsonl,report.json} and docs/results/spark/overhead.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl mobile-nas-spark dependency:build-classpath -Dmdep.outputFile="$PWD/mobile-nas-spark/target/cp.txt" >/dev/null
opens=$(sed -n 's#.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*#\1#p' mobile-nas-spark/pom.xml)
cp="$(cat mobile-nas-spark/target/cp.txt):mobile-nas-spark/target/classes"
out=docs/results/spark
run() { # name threads args...
  local name=$1 threads=$2; shift 2
  java $opens --add-modules jdk.incubator.vector -Dmobilenas.threads="$threads" -cp "$cp" \
    org.mobilenas.spark.SparkSearch --candidates 16 --iterations 2 --out "$out/$name" "$@" > /dev/null
}
run local-1thread 1 --evaluator local
run spark-local1 1 --master 'local[1]'
run spark-local2 1 --master 'local[2]'
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
rows = []
for name in ["local-1thread", "spark-local1", "spark-local2"]:
    r = json.load(open(os.path.join(out, name, "report.json")))
    rows.append((name, r))
base = dict(rows)["local-1thread"]["searchSeconds"]
lines = ["| run | evaluator | task slots x engine threads | candidates | search wall time (s) | s / candidate | vs local, 1 thread |",
         "|---|---|---|---|---|---|---|"]
for name, r in rows:
    lines.append("| %s | %s | %d x %d | %d | %.1f | %.1f | %.2fx |" % (name, r["evaluator"], r["slots"], r["engineThreads"],
                 r["candidates"], r["searchSeconds"], r["secondsPerCandidate"], r["searchSeconds"] / base))
same = all(r["accuracies"] == rows[0][1]["accuracies"] for _, r in rows)
lines.append("")
lines.append("Same accuracies in every run: %s." % ("yes" if same else "no"))
open(os.path.join(out, "overhead.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
