# syntax=docker/dockerfile:1
# The search service (services/Search) on its own: POST /v1/search, each query encoded by the model
# version of the index it reads.
# Build from the repository root:
#   docker build -f infra/docker/search.Dockerfile -t ms2gan-search .
# or through docker-compose.yml (`docker compose build search`). The base images and native
# dependencies are those of infra/docker/Dockerfile (the `ms2gan` host); see the notes there.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The whole tree (minus .dockerignore): Directory.*.props/targets, infra/build and the shared/ projects
# the service references take part in the build.
COPY . .
# The same NuGet cache as the host image, so the services' builds share the packages it downloaded.
RUN --mount=type=cache,id=ms2gan-nuget,target=/root/.nuget/packages \
    dotnet publish services/Search -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
LABEL org.opencontainers.image.title="ms2gan-search" \
      org.opencontainers.image.description="MS2GAN cross-modal image/text retrieval: the search service"
# The .NET images carry no HTTP client; curl is for the health check only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# ASPNETCORE_HTTP_PORTS=8080 comes from the base image. The stores live on the /data volume, the
# model registry under /data/models (shared with the trainer by compose); the application files stay read-only.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    Pipeline__DataDirectory=/data/store
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
ENTRYPOINT ["dotnet", "/app/MS2GAN.Search.dll"]
