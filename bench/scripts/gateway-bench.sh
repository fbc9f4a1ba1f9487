#!/usr/bin/env bash
# Gateway benchmark (issue 4): REST -> mailbox through Pont vs SMTP -> mailbox through plain James,
# same run, child JVMs started by the driver. Not part of the tests. Arguments go to
# org.pont.bench.gateway.GatewayBenchmark (e.g. --sizes 10240:200,1048576:30 --clients 4 --jfr /tmp/gw.jfr).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21+}"
"$ROOT/mvnw" -B -ntp -q -f "$ROOT/pom.xml" -DskipTests -pl gateway,bench -am package
CP="$ROOT/bench/target/classes:$ROOT/gateway/target/classes:$(cat "$ROOT/gateway/target/classpath.txt")"
exec flock /tmp/jmh.lock "$JAVA_HOME/bin/java" -Xmx512m --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
  -cp "$CP" org.pont.bench.gateway.GatewayBenchmark "$@"
