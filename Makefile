# supportbot — common tasks. `make test` is what CI runs.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
BIN       := bin/supportbot
GOLANGCI  := github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
IMAGE     ?= supportbot:$(VERSION)

.PHONY: all build run test test-short lint fmt vet bench cover fuzz tidy-check docker deploy-check clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/supportbot

run:
	$(GO) run ./cmd/supportbot run

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short -count=1 ./...

lint:
	$(GO) run $(GOLANGCI) run ./...

fmt:
	gofmt -s -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

# bench: the Go benchmarks and a short load run against the echo floors, as
# one table (REPEAT=7 for the BENCHMARKS.md figures; JSON=FILE to keep them).
bench:
	GO=$(GO) sh scripts/bench.sh

cover:
	$(GO) test -count=1 -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1

fuzz:
	$(GO) test ./policy -run '^$$' -fuzz FuzzParse -fuzztime 60s

tidy-check:
	$(GO) mod tidy
	git diff --exit-code go.mod go.sum

docker:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

# deploy-check: the Kubernetes manifests decode strictly into the API types and
# the Slack app manifest matches what the bot handles; kustomize builds the base
# where kubectl is installed.
deploy-check:
	$(GO) test -count=1 ./cmd/supportbot -run 'TestKubernetes|TestSlackAppManifest'
	@if command -v kubectl >/dev/null 2>&1; then \
		kubectl kustomize deploy/kubernetes >/dev/null && echo "kustomize build: ok"; \
	else echo "kubectl not found: skipping the kustomize build"; fi

clean:
	rm -rf bin cover.out
