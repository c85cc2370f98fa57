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
dev: build ## start engines and the four services, then a demo through REST → event_store → CDC → Kafka → projector → dlq-service → Prometheus
	PROMETHEUS_OPTIONAL=1 $(ENGINES) start all
	infra/local/services start
	PROMETHEUS_OPTIONAL=1 infra/local/demo-and-check
	@echo
	@echo "The stack keeps running until 'make down':"
	@echo "  command-service http://127.0.0.1:3000 (GET /openapi.json)   projector   http://127.0.0.1:3001 (read models)"
	@echo "  dlq-service     http://127.0.0.1:3002 (GET /dlq/messages)   cdc-relay   http://127.0.0.1:3003/status"
	@echo "  Prometheus      http://127.0.0.1:9090 (alerts; dashboards in infra/grafana)   logs: .engines/services/"
	@echo "  tokens: dev-reader-token (read), dev-writer-token (write), dev-admin-token (admin)"
	@echo "Try: curl -s -H 'authorization: Bearer dev-reader-token' 'http://127.0.0.1:3001/orders?status=Delivered&limit=5'"
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
bench: build ## benchmarks, BENCH_ROUNDS rounds (3): medians, spreads and ratios to floors in bench/report.md, .json and the README
	$(ENGINES) run -- node tools/bench-report/dist/cli.js run

.PHONY: chaos
chaos: build ## the fault storm (docs/chaos.md): CHAOS_DURATION of load (10m) while every part of the stack is harmed, then every invariant checked; non-zero exit when one broke
	if [[ "$${CHAOS_STACK:-local}" == compose ]]; then node tools/chaos/dist/cli.js; \
	else PROMETHEUS_OPTIONAL=1 $(ENGINES) run -- node tools/chaos/dist/cli.js; fi

.PHONY: clean
clean: ## remove build output and engine data
	-infra/local/services stop
	-$(ENGINES) stop all
	rm -rf .engines node_modules packages/*/dist services/*/dist schema/dist tools/*/dist .turbo
