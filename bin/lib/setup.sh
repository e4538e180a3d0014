# Shared set-up for the commands in bin/: sourced, not run.
#
# Installs what the build and the Python apps need on a fresh Debian bookworm machine
# (Debian's Python packages, Django 4.2 and typing-extensions 4.13 from bookworm-backports)
# and selects a JDK 21+ even when the `java` on PATH is older.

set -euo pipefail

SPRINGWSGI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

die() {
  printf 'springwsgi: %s\n' "$*" >&2
  exit 1
}

info() {
  printf 'springwsgi: %s\n' "$*" >&2
}

# Debian packages whose Python code the apps and tests import (the sample's Flask, FastAPI and
# Django; the tests' Pyramid, CherryPy, Bottle, Falcon, Quart and Starlette). GraalPy runs the
# pure-Python parts; it ignores the CPython extension modules these packages also ship. And
# patchelf, which GraalPy runs to give every context its own copy of a native module.
PYTHON_PACKAGES=(python3-flask python3-fastapi python3-django python3-typing-extensions
  python3-pyramid python3-cherrypy3 python3-bottle python3-falcon python3-quart python3-starlette patchelf)
BACKPORTED_PACKAGES=(python3-django python3-typing-extensions)
MINIMUM_VERSIONS=("python3-django 3:4.2" "python3-typing-extensions 4.13")

package_version() {
  dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '/install ok installed/ {print $4}'
}

python_packages_present() {
  local entry name minimum version
  for name in "${PYTHON_PACKAGES[@]}"; do
    [[ -n "$(package_version "$name")" ]] || return 1
  done
  for entry in "${MINIMUM_VERSIONS[@]}"; do
    read -r name minimum <<<"$entry"
    version="$(package_version "$name")"
    dpkg --compare-versions "$version" ge "$minimum" || return 1
  done
}

# bookworm-backports, derived from the machine's own Debian source so no mirror is named here.
ensure_backports_source() {
  local target=/etc/apt/sources.list.d/bookworm-backports.sources
  [[ -f "$target" ]] && return 0
  local source=/etc/apt/sources.list.d/debian.sources
  [[ -f "$source" ]] || die "cannot add bookworm-backports: $source is missing; add a bookworm-backports apt source by hand and retry"
  # The first stanza is the main archive; keep its URIs and keyring, change only the suite.
  awk 'BEGIN { RS=""; ORS="\n\n" } NR == 1 { sub(/Suites:[^\n]*/, "Suites: bookworm-backports"); print }' "$source" >"$target"
}

ensure_python_packages() {
  if python_packages_present; then
    return 0
  fi
  command -v apt-get >/dev/null || die "Debian's packages (${PYTHON_PACKAGES[*]}) are missing and this machine has no apt-get; install patchelf, and Flask 2.2, FastAPI 0.92, Django 4.2, typing-extensions >= 4.13 (and for the tests Pyramid, CherryPy, Bottle, Falcon, Quart, Starlette) under /usr/lib/python3/dist-packages"
  [[ "$(id -u)" -eq 0 ]] || die "Debian's Python packages (${PYTHON_PACKAGES[*]}) are missing; run this command once as root (or with sudo) so it can apt-get install them"
  info "installing Debian's Python packages: ${PYTHON_PACKAGES[*]} (Django and typing-extensions from bookworm-backports)"
  ensure_backports_source
  apt-get update -qq || die "apt-get update failed; check the machine's Debian package sources"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PYTHON_PACKAGES[@]}" >/dev/null \
    || die "apt-get install ${PYTHON_PACKAGES[*]} failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports "${BACKPORTED_PACKAGES[@]}" >/dev/null \
    || die "apt-get install -t bookworm-backports ${BACKPORTED_PACKAGES[*]} failed"
  python_packages_present || die "Debian's Python packages are installed but older than needed (${MINIMUM_VERSIONS[*]})"
}

java_feature_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'
}

# A JDK 21+ for Maven and the app: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
select_jdk() {
  local candidate version best="" best_version=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/javac" ]] || continue
    version="$(java_feature_version "$candidate")"
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if [[ "$candidate" == "${JAVA_HOME:-}" && "$version" -ge 21 ]]; then
      best="$candidate" best_version="$version"
      break
    fi
    if ((version > best_version)); then
      best="$candidate" best_version="$version"
    fi
  done
  ((best_version >= 21)) || die "no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm); install one, e.g. Temurin 25, and set JAVA_HOME to it"
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  if ((best_version < 25)); then
    info "using JDK $best_version at $JAVA_HOME; GraalPy's JIT needs JDK 25, so Python will run interpreter-only"
  fi
  SPRINGWSGI_JDK_VERSION="$best_version"
}

mvnw() {
  "$SPRINGWSGI_ROOT/mvnw" -B -ntp "$@"
}

# The sample service's heap limit: its three Python apps, JPA and the JIT's data fit in 1 GB.
# Without one the JVM may grow its heap to a quarter of the machine's memory, and its resident
# size with it.
SAMPLE_JVM_OPTIONS=(-Xmx1g)

# JVM options that turn GraalPy's JIT on, given the directory the build copied the Graal
# compiler jars to; empty on a JDK older than 25, where Python runs interpreter-only.
# On a GraalVM JDK, whose libgraal is the Graal compiler compiled ahead of time, the jars are left
# out: on --upgrade-module-path they would replace libgraal with Graal running as bytecode.
jit_jvm_options() {
  if ((SPRINGWSGI_JDK_VERSION >= 25)); then
    printf '%s\n' -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI
    [[ -f "$JAVA_HOME/lib/libjvmcicompiler.so" ]] || printf '%s\n' "--upgrade-module-path=$1"
    printf '%s\n' --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
  fi
}

# JDK 25's ahead-of-time cache (JEP 483, 514, 515) for the sample, made by bin/aot-cache: a
# runtime image of the JDK without its empty jdk.graal.compiler module, so that the compiler jars
# go on --module-path (the JVM refuses to record a cache with --upgrade-module-path); the jar
# extracted (a cache holds classes from plain jars only); the cache of a training run.
AOT_DIRECTORY="$SPRINGWSGI_ROOT/sample-app/target/aot"
AOT_JAVA="$AOT_DIRECTORY/jdk/bin/java"
AOT_JAR="$AOT_DIRECTORY/app/wsgi-sample-app.jar"
AOT_CACHE="$AOT_DIRECTORY/sample.aot"

# The JIT's JVM options for the runtime image, given the directory of the compiler jars.
aot_jvm_options() {
  printf '%s\n' -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--module-path=$1" \
    --add-modules=jdk.graal.compiler,org.graalvm.truffle.compiler \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
}

require_aot_cache() {
  [[ -f "$AOT_CACHE" && -x "$AOT_JAVA" && -f "$AOT_JAR" ]] \
    || die "no ahead-of-time cache in $AOT_DIRECTORY; make one with bin/aot-cache"
  [[ "$AOT_CACHE" -nt "$SPRINGWSGI_ROOT/sample-app/target/wsgi-sample-app.jar" ]] \
    || die "the ahead-of-time cache in $AOT_DIRECTORY is older than the sample jar; make it again with bin/aot-cache"
}
