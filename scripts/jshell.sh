#!/usr/bin/env bash
# Opens jshell on the project's classpath with scripts/costs.jsh loaded (pass other .jsh files as arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl mobile-nas-examples dependency:build-classpath -Dmdep.outputFile=target/jshell.classpath
cp="$(cat mobile-nas-examples/target/jshell.classpath):mobile-nas-examples/target/classes"
if [ "$#" -eq 0 ]; then set -- scripts/costs.jsh; fi
exec jshell --class-path "$cp" "$@"
