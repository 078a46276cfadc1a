#!/bin/sh
# Builds /work/src for one runtime into /work/out. Everything printed is the build log; the
# exit status says whether the build succeeded. Caches live under /cache (kept between builds).
# Arguments: the toolchain (python, node, java) and, for java, the release sources are compiled
# for: the Java version of the runtime the function runs on (21 when not given).
set -eu
runtime=$1
src=/work/src
out=/work/out
cd "$src"

say() { printf '[hearth-build] %s\n' "$*"; }

case "$runtime" in
  python)
    cp -a "$src/." "$out/"
    say "pip install -r requirements.txt --target ."
    pip3 install --disable-pip-version-check --no-input --no-build-isolation --break-system-packages \
      --cache-dir /cache/pip --target "$out" -r requirements.txt
    ;;
  node)
    cp -a "$src/." "$out/"
    cd "$out"
    if [ -f package-lock.json ]; then
      say "npm ci --omit=dev"
      npm ci --omit=dev --no-audit --no-fund --cache /cache/npm
    else
      say "npm install --omit=dev"
      npm install --omit=dev --no-audit --no-fund --cache /cache/npm
    fi
    ;;
  java)
    release=${2:-21}
    case "$release" in *[!0-9]*|'') say "not a Java release: $release"; exit 2 ;; esac
    # Maven's own libraries trip JDK 25's sun.misc.Unsafe warnings; they are noise in a user's build log.
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    if [ -f pom.xml ]; then
      say "mvn package"
      mvn -B -q -Dmaven.repo.local=/cache/m2 -DskipTests -Dmaven.test.skip=true package
      say "mvn dependency:copy-dependencies (runtime scope) into lib/"
      mvn -B -q -Dmaven.repo.local=/cache/m2 dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/lib"
      find target -maxdepth 1 -name '*.jar' ! -name 'original-*' ! -name '*-sources.jar' ! -name '*-javadoc.jar' \
        -exec cp {} "$out/" \;
    else
      say "javac --release $release (the function's Java runtime) against aws-lambda-java-core"
      cp -a "$src/." "$out/"
      find "$out" -name '*.java' -delete
      classpath="/opt/hearth/lib/*"
      if [ -d "$src/lib" ]; then classpath="$classpath:$src/lib/*"; fi
      find . -name '*.java' > /tmp/sources
      # -XDstringConcat=inline: concatenation as StringBuilder calls, so a first call does not
      # spend milliseconds bootstrapping invokedynamic for each shape it concatenates.
      javac --release "$release" -XDstringConcat=inline -encoding UTF-8 -nowarn -d "$out" -cp "$classpath" @/tmp/sources
    fi
    ;;
  *)
    say "unknown runtime: $runtime"
    exit 2
    ;;
esac
say "done"
