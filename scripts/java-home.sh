# Points JAVA_HOME at a JDK 21+ when the current one is missing or older. Meant to be sourced:
#   source scripts/java-home.sh      (by ./kardia, .ci/run, or your own shell)
# Sourced, it never closes the caller's shell: on failure it prints one line and returns 2.
# A JDK's major version: from its `release` file (every JDK since 9 has one; reading it costs no JVM
# start, which is most of this script's time), else by asking the JVM.
kardia_java_major() {
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p' | head -1)
  fi
  echo "$v"
}
kardia_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(kardia_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local current candidate
  current=$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent/bin/java)")")")
  for candidate in "$current" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(kardia_java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME=$candidate
      return 0
    fi
  done
  echo "kardia: needs a JDK 21 or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $(kardia_java_major "$current" 2>/dev/null || echo none)); install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 2
}
if kardia_find_jdk; then
  export PATH="$JAVA_HOME/bin:$PATH"
  unset -f kardia_find_jdk kardia_java_major
else
  unset -f kardia_find_jdk kardia_java_major
  # return when sourced (the caller's shell stays open), exit when run as a script
  return 2 2>/dev/null || exit 2
fi
