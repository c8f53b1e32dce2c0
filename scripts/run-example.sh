#!/usr/bin/env bash
# Runs an example or experiment of mobile-nas-examples in its own JVM, with the Vector API enabled.
#   scripts/run-example.sh TinyNetExperiment --preset full --parallel 2
#   scripts/run-example.sh ProxyTaskExperiment --help
# Builds the project first when its jars are missing or older than the sources. JVM options go in JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: scripts/run-example.sh <ExampleClass> [options]   e.g. TinyNetExperiment --preset quick" >&2
  exit 2
fi
main="$1"; shift
case "$main" in *.*) ;; *) main="org.mobilenas.examples.$main" ;; esac
cp_file=mobile-nas-examples/target/run-classpath.txt
jar=mobile-nas-examples/target/classes
if [ ! -f "$cp_file" ] || [ ! -d "$jar" ] || [ -n "$(find . -path ./docs -prune -o -name '*.java' -newer "$cp_file" -print -quit)" ]; then
  mvn -B -q install -DskipTests
  mvn -B -q -pl mobile-nas-examples dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file.tmp" >/dev/null
  mv "$cp_file.tmp" "$cp_file"
fi
# with several jobs at once, each job's kernels stay on one core
threads=()
prev=""
for a in "$@"; do
  if [ "$prev" = "--parallel" ] && [ "$a" != "1" ]; then threads=(-Dmobilenas.threads=1); fi
  prev="$a"
done
exec java ${JAVA_OPTS:-} "${threads[@]}" --add-modules jdk.incubator.vector -Dorg.slf4j.simpleLogger.showDateTime=true \
  -cp "$(cat "$cp_file"):$jar" "$main" "$@"
