# syntax=docker/dockerfile:1
# Multi-stage build: the wrapper builds the jar on a JDK, the runtime is a JRE with a non-root user.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, so a source change does not download Maven Central again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package && cp target/mlp-service-*.jar /src/app.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system mlp && useradd --system --gid mlp --home-dir /app --shell /usr/sbin/nologin mlp \
    && mkdir -p /app /data && chown mlp:mlp /data \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/app.jar /app/app.jar
USER mlp
ENV MLP_STORAGE_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
# The image's JRE must have the Vector API module, or the flag below would stop the JVM: check at build time.
RUN java --list-modules | grep -q '^jdk.incubator.vector@'
# exec form: the JVM is PID 1 and gets SIGTERM, so graceful shutdown cancels and records running jobs
# (in cluster mode, MLP_CLUSTER_ENABLED=true, it hands them back to the shared queue instead).
# --add-modules: the engine's fast matrix backend (Vector API, an incubator module); the JVM prints
# "WARNING: Using incubator modules: jdk.incubator.vector" once at start, which is expected.
ENTRYPOINT ["java", "--add-modules=jdk.incubator.vector", "-jar", "/app/app.jar"]
