# syntax=docker/dockerfile:1
# One service on its own (services/$SERVICE): Ingest, Encoder, Search or Trainer, named by the build argument SERVICE.
#   Ingest   POST /v1/items, POST /v1/items/batch (NDJSON), GET and DELETE /v1/items/{id}; records items, publishes ItemsIngested
#   Encoder  consumes ItemsIngested in batches, runs the model's ONNX encoders and writes the vectors (HTTP: health and metrics)
#   Search   POST /v1/search and the web page, each query encoded by the model version of the index it reads
#   Trainer  retrain and rollback (the admin API, RetrainModel and RollbackModel messages, a Quartz schedule), the quality
#            gate, reindex and the alias swap; TorchSharp's libtorch (CPU) comes in its NuGet package
# Build from the repository root:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=Encoder -t ms2gan-encoder .
# or through docker-compose.yml (`docker compose build encoder`). The base images and native dependencies are those of
# infra/docker/Dockerfile (the `ms2gan` host); see the notes there.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG SERVICE
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The whole tree (minus .dockerignore): Directory.*.props/targets, infra/build and the shared/ projects
# the service references take part in the build.
COPY . .
# The same NuGet cache as the host image, so the services' builds share the packages it downloaded.
RUN --mount=type=cache,id=ms2gan-nuget,target=/root/.nuget/packages \
    test -n "$SERVICE" -a -f "services/$SERVICE/MS2GAN.$SERVICE.csproj" \
        || { echo "SERVICE must be Ingest, Encoder, Search or Trainer (got '$SERVICE')" >&2; exit 2; } \
    && dotnet publish "services/$SERVICE" -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="ms2gan-${SERVICE}" \
      org.opencontainers.image.description="MS2GAN cross-modal image/text retrieval: the ${SERVICE} service"
# The .NET images carry no HTTP client; curl is for the health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# ASPNETCORE_HTTP_PORTS=8080 comes from the base image. The stores live on the /data volume, the model registry under
# /data/models (shared by compose: the trainer writes new versions there, the others read them); the application files
# stay read-only.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    Pipeline__DataDirectory=/data/store \
    MS2GAN_SERVICE=${SERVICE}
# The mount points exist in the image, owned by the app user, so fresh named volumes mounted on them
# take that owner.
RUN mkdir -p /data/store /data/models && chown -R "$APP_UID:$APP_UID" /data
COPY --from=build /app /app
# APP_UID (1654, user `app`) is the non-root user the .NET images define.
USER $APP_UID
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# Liveness only: readiness (/health/ready) also needs the broker and the stores, and compose's
# depends_on already waits for the broker.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
    CMD curl -fsS http://127.0.0.1:8080/health/live >/dev/null || exit 1
# The service's assembly, named by the build argument; exec keeps dotnet as PID 1's child that receives the signals.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/MS2GAN.${MS2GAN_SERVICE}.dll\" \"$@\"", "ms2gan-service"]
