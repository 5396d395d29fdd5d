#!/bin/sh
# Runs the operator against the cluster of the current kubeconfig: KUBECONFIG, else ~/.kube/config.
#   KUBECONFIG=/tmp/kardia/kubeconfig sh run.sh
# Builds first when the sources changed. Stop it with Ctrl-C (graceful shutdown).
set -e
cd "$(dirname "$0")"
if [ ! -f target/runtime.classpath ] || [ -n "$(find src pom.xml -newer target/runtime.classpath | head -n 1)" ]; then
  mvn -q -B package -DskipTests
fi
# The JDK of JAVA_HOME when set (the one Maven built with), else the java on the PATH.
if [ -n "$JAVA_HOME" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
exec "$java" $JAVA_OPTS -cp "target/classes:$(cat target/runtime.classpath)" ${package}.OperatorMain "$@"
