# SocketTape developer entry points.
#   make test   install test deps, build (debug), run Swift unit tests and the
#               pytest integration tests against the real binary
#   make demo   record a WebSocket chat and a Socket.io chat through the proxy and show the tapes
SHELL := /bin/bash
SWIFT ?= swift
VENV  := .venv
PYTEST_ARGS ?= -q

.PHONY: all setup build unit integration test demo clean-out

all: build

setup:
	./scripts/setup-test-deps.sh

build:
	$(SWIFT) build --build-tests

unit: build
	$(SWIFT) test --skip-build

integration: build
	SOCKETTAPE_BIN="$$($(SWIFT) build --show-bin-path)/sockettape" \
		$(VENV)/bin/pytest Tests/integration $(PYTEST_ARGS)

test: setup
	$(MAKE) build
	$(MAKE) unit
	$(MAKE) integration

demo: setup
	$(SWIFT) build --product sockettape
	SOCKETTAPE_BIN="$$($(SWIFT) build --show-bin-path)/sockettape" PYTHON=$(VENV)/bin/python \
		./scripts/demo.sh

clean-out:
	rm -rf out
