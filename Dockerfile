# SecretTrail: built with Maven, run on a JRE as a non-root user.
#   docker build -t secrettrail .
# The default command watches /trail, consumes Kafka into DuckDB and serves the dashboard on 8080
# (see docker-compose.yml).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Module POMs first, so dependencies are cached apart from the sources.
COPY pom.xml ./
COPY core/pom.xml core/
COPY broker/pom.xml broker/
COPY generator/pom.xml generator/
COPY ingest/pom.xml ingest/
COPY analytics/pom.xml analytics/
COPY web/pom.xml web/
COPY app/pom.xml app/
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=io.secrettrail || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 secrettrail \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/secrettrail --shell /usr/sbin/nologin secrettrail \
 && mkdir -p /var/lib/secrettrail && chown secrettrail:secrettrail /var/lib/secrettrail
COPY --from=build /src/app/target/secrettrail.jar /app/secrettrail.jar
COPY --from=build /src/app/target/lib /app/lib
USER 10001:10001
ENV SECRETTRAIL_WORK_DIR=/var/lib/secrettrail
VOLUME ["/var/lib/secrettrail"]
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx512m", "-XX:+UseParallelGC", "-cp", "/app/secrettrail.jar:/app/lib/*", "io.secrettrail.app.Main"]
CMD ["serve", "--port", "8080", "--host", "0.0.0.0", "--watch", "/trail"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-cp", "/app/secrettrail.jar:/app/lib/*", "io.secrettrail.app.Main", "health", "http://127.0.0.1:8080/health/ready"]
