#!/usr/bin/env bash
# Opens jshell on the project's classpath with scripts/costs.jsh loaded (pass other .jsh files as arguments).
# Builds the project only when its classes are missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=mobile-nas-examples/target/jshell.classpath
classes=mobile-nas-examples/target/classes
if [ ! -f "$cp_file" ] || [ ! -d "$classes" ] \
    || [ -n "$(find . -path ./docs -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$cp_file" -print -quit)" ]; then
  echo "building mobile-nas (sources changed since the last launch)" >&2
  mvn -B -q install -DskipTests -Dmaven.javadoc.skip=true >&2
  mvn -B -q -pl mobile-nas-examples dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file.tmp" >/dev/null
  mv "$cp_file.tmp" "$cp_file"
fi
if [ "$#" -eq 0 ]; then set -- scripts/costs.jsh; fi
exec jshell --class-path "$(cat "$cp_file"):$classes" "$@"
