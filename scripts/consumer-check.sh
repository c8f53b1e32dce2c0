#!/usr/bin/env bash
# Installs the library and builds a fresh consumer project (scripts/consumer) that depends on core + spaces +
# latency, prints how many jars and megabytes it resolves and its dependency tree, and runs it: a catalogue cost
# table, a latency table of this JVM and a short search priced by it.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
cd scripts/consumer
mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
jars=$(tr ':' '\n' < target/cp.txt | grep -c '\.jar$')
mb=$(tr ':' '\n' < target/cp.txt | xargs du -cb | tail -1 | awk '{printf "%.1f", $1 / 1048576}')
echo "consumer resolves $jars jars, $mb MB"
mvn -B -q dependency:tree -DoutputFile=target/tree.txt && cat target/tree.txt
java --add-modules jdk.incubator.vector -cp "target/classes:$(cat target/cp.txt)" example.Main
