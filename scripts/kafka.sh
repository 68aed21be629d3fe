#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for tests and development.
# The broker is assembled from Maven Central jars (org.apache.kafka:kafka_2.13 and its runtime
# dependencies, resolved by Maven from a generated pom) into the git-ignored .cache/kafka.
#
#   scripts/kafka.sh up|down|status|wipe
#
# Needs: Java 17+, Maven (mvn) with access to Maven Central.
# Env: KAFKA_PORT (9092; the controller listens on KAFKA_PORT+1), KAFKA_VERSION (4.1.1),
#      KAFKA_HEAP (512m). Several brokers on different ports can run side by side (tests use this
#      to stop and start a broker without disturbing the shared one).
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT=$((KAFKA_PORT + 1))
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${KAFKA_CACHE_DIR:-$repo/.cache/kafka}"
lib="$cache/lib-$KAFKA_VERSION"
node_dir="$cache/node-$KAFKA_PORT"
pid_file="$node_dir/kafka.pid"
log_file="$node_dir/server.log"

provision() {
  [ -f "$lib/.complete" ] && return 0
  command -v mvn >/dev/null || { echo "kafka.sh: Maven (mvn) is required to fetch the broker jars" >&2; exit 1; }
  command -v java >/dev/null || { echo "kafka.sh: Java 17+ is required to run the broker" >&2; exit 1; }
  echo "kafka.sh: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central" >&2
  local build="$cache/build-$KAFKA_VERSION"
  rm -rf "$build" "$lib"; mkdir -p "$build"
  cat >"$build/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.catalens</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
  mvn -q -B -f "$build/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$lib" >&2
  touch "$lib/.complete"
  rm -rf "$build"
}

is_up() {
  # A TCP connect is enough to know the listener is there; readiness is awaited with a real
  # metadata request in `up`.
  (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null
}

pid_alive() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

java_run() {
  java -Xms128m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$node_dir/log4j2.properties" -cp "$lib/*" "$@"
}

configure() {
  mkdir -p "$node_dir/data"
  cat >"$node_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$node_dir/data
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat >"$node_dir/log4j2.properties" <<LOG
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $log_file
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = warn
logger.kafkaorg.name = org.apache.kafka
logger.kafkaorg.level = warn
LOG
}

up() {
  provision
  if pid_alive && is_up; then echo "kafka: up at 127.0.0.1:$KAFKA_PORT"; return 0; fi
  if is_up; then
    echo "kafka.sh: port $KAFKA_PORT is taken by a process this checkout did not start" \
      "(another clone's broker?); stop it or set KAFKA_PORT" >&2
    exit 1
  fi
  configure
  if [ ! -f "$node_dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java_run org.apache.kafka.tools.StorageTool random-uuid 2>/dev/null \
      || java_run kafka.tools.StorageTool random-uuid)
    java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$node_dir/server.properties" \
      >/dev/null
  fi
  nohup java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$node_dir/log4j2.properties" -cp "$lib/*" \
    kafka.Kafka "$node_dir/server.properties" >"$node_dir/stdout.log" 2>&1 &
  echo $! >"$pid_file"
  local waited=0
  until is_up; do
    if ! pid_alive; then
      echo "kafka.sh: broker exited during start; see $node_dir/stdout.log and $log_file" >&2
      tail -n 30 "$node_dir/stdout.log" >&2 || true
      exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -gt 120 ]; then echo "kafka.sh: broker not listening after 60 s" >&2; exit 1; fi
  done
  echo "kafka: up at 127.0.0.1:$KAFKA_PORT"
}

down() {
  if pid_alive; then
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
  echo "kafka: down"
}

status() {
  if pid_alive && is_up; then echo "kafka: up at 127.0.0.1:$KAFKA_PORT"; else echo "kafka: down"; return 1; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  wipe) down; rm -rf "$node_dir"; echo "kafka: data of port $KAFKA_PORT wiped" ;;
  *) echo "usage: scripts/kafka.sh up|down|status|wipe" >&2; exit 2 ;;
esac
