# Sourced by ./kardia and .ci/run: points JAVA_HOME at a JDK 21+ when the current one is older.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p' | head -1; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  found=""
  current=$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent/bin/java)")")")
  for candidate in "$current" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      found=$candidate; break
    fi
  done
  if [ -z "$found" ]; then
    echo "Kardia needs a JDK 21 or newer; none found. Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME=$found
fi
export PATH="$JAVA_HOME/bin:$PATH"
