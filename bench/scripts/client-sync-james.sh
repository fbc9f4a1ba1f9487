#!/usr/bin/env bash
# Client-library sync figures against Apache James IMAPS (the gateway's James, in memory) instead of
# GreenMail: org.pont.index.ClientSyncOnJames [--messages N]. Not part of the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21+}"
"$ROOT/mvnw" -B -ntp -q -f "$ROOT/pom.xml" -DskipTests -pl gateway,bench -am package
CP="$ROOT/bench/target/classes:$ROOT/gateway/target/classes:$(cat "$ROOT/gateway/target/classpath.txt")"
exec flock /tmp/jmh.lock "$JAVA_HOME/bin/java" -Xmx2g --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
  -cp "$CP" org.pont.index.ClientSyncOnJames "$@"
