#!/usr/bin/env bash
# Runs Hearth's external broker on this machine from the official ActiveMQ Artemis distribution on Maven Central
# (org.apache.activemq:apache-artemis:<artemis.version of pom.xml>:tar.gz:bin, fetched by the Maven wrapper), with the
# same docker/artemis/broker.xml the compose file mounts: no container engine needed. Then point hubs at it:
#   HEARTH_BROKER_URL=tcp://127.0.0.1:61616 HEARTH_BROKER_USER=hearth HEARTH_BROKER_PASSWORD=hearth java -jar target/hearth.jar
#
# Usage: docker/artemis/run-local.sh [run|create]     (run: create if needed, then run in the foreground)
# Settings (environment): ARTEMIS_HOST (127.0.0.1), ARTEMIS_PORT (61616), ARTEMIS_USER / ARTEMIS_PASSWORD (hearth/hearth),
# ARTEMIS_WORK_DIR (./target/artemis: the distribution and the broker instance with its journal), ARTEMIS_INSTANCE (the
# broker instance with its journal, default $ARTEMIS_WORK_DIR/instance), ARTEMIS_VERSION.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=${ARTEMIS_VERSION:-$(sed -n 's:.*<artemis.version>\(.*\)</artemis.version>.*:\1:p' "$ROOT/pom.xml" | head -1)}
WORK=${ARTEMIS_WORK_DIR:-$ROOT/target/artemis}
HOST=${ARTEMIS_HOST:-127.0.0.1}
PORT=${ARTEMIS_PORT:-61616}
USER_NAME=${ARTEMIS_USER:-hearth}
PASSWORD=${ARTEMIS_PASSWORD:-hearth}
ARTEMIS_HOME=$WORK/apache-artemis-$VERSION
INSTANCE=${ARTEMIS_INSTANCE:-$WORK/instance}
COMMAND=${1:-run}

if [ ! -x "$ARTEMIS_HOME/bin/artemis" ]; then
  echo "Fetching apache-artemis $VERSION (Maven Central) into $WORK" >&2
  mkdir -p "$WORK"
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" dependency:unpack \
    -Dartifact="org.apache.activemq:apache-artemis:$VERSION:tar.gz:bin" -DoutputDirectory="$WORK" -Dmdep.overWriteReleases=true
fi

if [ ! -f "$INSTANCE/etc/broker.xml" ]; then
  # --user/--password/--role amq: the role docker/artemis/broker.xml grants; --no-web: no console (nothing the hub needs)
  "$ARTEMIS_HOME/bin/artemis" create "$INSTANCE" --silent --force --user "$USER_NAME" --password "$PASSWORD" --role amq \
    --require-login --no-web --no-autotune --host "$HOST"
fi
# The one broker configuration (docker/artemis/broker.xml): its acceptor reads hearth.artemis.host / hearth.artemis.port.
cp "$ROOT/docker/artemis/broker.xml" "$INSTANCE/etc/broker.xml"

if [ "$COMMAND" = create ]; then
  echo "Broker instance ready in $INSTANCE" >&2
  exit 0
fi
export JAVA_ARGS_APPEND="${JAVA_ARGS_APPEND:-} -Dhearth.artemis.host=$HOST -Dhearth.artemis.port=$PORT"
echo "Artemis $VERSION on tcp://$HOST:$PORT (user $USER_NAME), instance $INSTANCE" >&2
exec "$INSTANCE/bin/artemis" run
