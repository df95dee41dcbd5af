# syntax=docker/dockerfile:1

# supportbot container image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t supportbot .
#   docker run --rm -e SLACK_APP_TOKEN -e SLACK_BOT_TOKEN -v supportbot-data:/data supportbot
#
# The build stage runs on the builder's own platform and cross-compiles for the
# target one, so `docker buildx build --platform linux/amd64,linux/arm64` needs
# no emulation. The binary is static (CGO_ENABLED=0): bbolt is pure Go.

FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build

WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when go.mod or
# go.sum change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download

COPY . .

ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/supportbot ./cmd/supportbot

# The final image has no shell, so the data directory is made here and copied
# over with its owner set to distroless's nonroot user (65532:65532). A volume
# created from the image inherits that owner, so the bot can create its
# database file there.
RUN mkdir -p /data && chown 65532:65532 /data && chmod 0750 /data

FROM gcr.io/distroless/static-debian12:nonroot

ARG VERSION=dev
LABEL org.opencontainers.image.title="supportbot" \
      org.opencontainers.image.description="Slack bot answering D2iQ version-support questions" \
      org.opencontainers.image.version="${VERSION}"

COPY --from=build /out/supportbot /supportbot
# Before VOLUME: changes to a volume path after its declaration are discarded.
COPY --from=build --chown=65532:65532 /data /data
VOLUME /data

ENV SUPPORTBOT_DB_PATH=/data/supportbot.db \
    SUPPORTBOT_HTTP_ADDR=:8080

# /healthz, /readyz and /metrics. Slack is reached over an outbound Socket Mode
# connection, so nothing else needs to be exposed.
EXPOSE 8080

USER nonroot:nonroot
ENTRYPOINT ["/supportbot"]
CMD ["run"]
