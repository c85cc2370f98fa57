# Two commands matter: `make dev` (whole stack, demo) and `make test` (every test). Everything they need —
# pnpm, dependencies, Maven artefacts, the engines — is installed or started by the targets themselves.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PNPM_VERSION := 9.15.9
ENGINES := infra/local/engines
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: pnpm
pnpm: ## make sure pnpm $(PNPM_VERSION) is on PATH (Node 20's corepack fails on old signing keys)
	@if [ "$$(pnpm --version 2>/dev/null)" != "$(PNPM_VERSION)" ]; then \
	  echo "installing pnpm $(PNPM_VERSION)"; \
	  npm install --global --no-fund --no-audit pnpm@$(PNPM_VERSION) >/dev/null 2>&1 \
	    || { COREPACK_INTEGRITY_KEYS=0 corepack enable && COREPACK_INTEGRITY_KEYS=0 corepack prepare pnpm@$(PNPM_VERSION) --activate; }; \
	fi

.PHONY: install
install: pnpm ## install dependencies from the lockfile
	pnpm install --frozen-lockfile

.PHONY: build
build: install ## compile every package
	pnpm build

.PHONY: lint
lint: install ## ESLint + type-check every package
	pnpm lint
	pnpm typecheck

.PHONY: engines-up engines-down engines-status
engines-up: ## start Kafka, Cassandra (+ CDC emulation) and Prometheus without Docker
	$(ENGINES) start all
engines-down: ## stop the local engines
	$(ENGINES) stop all
engines-status:
	$(ENGINES) status all

.PHONY: dev down
dev: build ## start engines and services, then a demo through REST → event_store → CDC → Kafka → projector → Prometheus
	$(ENGINES) start all
	infra/local/services start
	infra/local/demo-and-check
	@echo
	@echo "The stack keeps running: command-service http://127.0.0.1:3000 (GET /openapi.json), projector http://127.0.0.1:3001, cdc-relay"
	@echo "http://127.0.0.1:3003/status, Prometheus http://127.0.0.1:9090 (dashboards: infra/grafana). Tokens: dev-writer-token, dev-reader-token,"
	@echo "dev-admin-token. Logs: .engines/services/. Stop everything with: make down"
down: ## stop the services and the engines of `make dev`
	infra/local/services stop
	$(ENGINES) stop all

.PHONY: check-ci
check-ci: build ## CI files: workflow path filters vs the workspace graph, workflow lint, compose file (every profile)
	node tools/ci-checks/dist/cli.js
	tools/ci-checks/lint-workflows.sh
	tools/ci-checks/check-compose.sh

.PHONY: test
test: build check-ci ## run every test against real engines (started and stopped here)
	time $(ENGINES) run -- bash -c 'pnpm lint && pnpm typecheck && infra/local/prometheus/ctl.sh check && pnpm test && infra/local/smoke'

.PHONY: bench
bench: build ## benchmarks: figures and ratios against raw-driver floors measured in the same run
	$(ENGINES) run -- pnpm bench

.PHONY: clean
clean: ## remove build output and engine data
	-infra/local/services stop
	-$(ENGINES) stop all
	rm -rf .engines node_modules packages/*/dist services/*/dist schema/dist tools/*/dist .turbo
