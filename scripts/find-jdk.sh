# Sourced by ./embed4j and ./test: sets JAVA_HOME to a JDK >= 21 (JAVA_HOME if it is one, else the newest
# under the usual install folders), or exits with a message saying what to install.
java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1 || echo 0
}

find_jdk() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/javac ]] && (( $(java_major "$JAVA_HOME/bin/java") >= 21 )); then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [[ -x $d/bin/javac ]] || continue
    v=$(java_major "$d/bin/java"); v=${v:-0}
    if (( v >= 21 && v > best_v )); then best=$d; best_v=$v; fi
  done
  if [[ -z $best ]] && command -v javac >/dev/null; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if (( $(java_major "$d/bin/java") >= 21 )); then best=$d; fi
  fi
  echo "$best"
}

jdk=$(find_jdk)
if [[ -z $jdk ]]; then
  echo "embed4j: needs a JDK 21 or newer; none found (JAVA_HOME, /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, then set JAVA_HOME." >&2
  exit 2
fi
export JAVA_HOME=$jdk
major=$(java_major "$jdk/bin/java")
if (( major >= 24 )); then export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; fi
