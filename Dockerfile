# One recipe for every service image: `docker build --build-arg SERVICE=command-service .` (cdc-relay, projector,
# dlq-service alike; `schema` builds the migration job, run with `node dist/cli.js`).
#
# `turbo prune --docker` cuts the monorepo down to the service and the workspace packages it depends on, split
# into their package.json files (json/) and their sources (full/). The install layer is built from json/ and the
# pruned lockfile only, so changing a source file reuses it and rebuilds from the source copy on. `pnpm deploy
# --prod` then gathers the service's compiled code and production dependencies, and the runtime stage runs them
# as the unprivileged `node` user.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# Node 20's bundled corepack fails on pnpm's newer signing keys: install pnpm with npm, as the Makefile does.
RUN npm install --global --no-fund --no-audit pnpm@9.15.9
WORKDIR /app

FROM base AS prune
# turbo at the version the lockfile pins, installed before the sources are copied so the layer outlives them.
COPY pnpm-lock.yaml ./
RUN npm install --global --no-fund --no-audit \
      "turbo@$(sed -n '/^      turbo:$/{n;n;s/ *version: //p;q}' pnpm-lock.yaml)"
COPY . .
ARG SERVICE
RUN test -n "${SERVICE}" \
      || { echo 'build with --build-arg SERVICE=<command-service|cdc-relay|projector|dlq-service|schema>' >&2; exit 1; }
RUN turbo prune "@scylla-es/${SERVICE}" --docker --out-dir /pruned

FROM base AS build
COPY --from=prune /pruned/json/ ./
RUN pnpm install --frozen-lockfile
COPY --from=prune /pruned/full/ ./
# Not part of any workspace package, so not in the pruned tree; every tsconfig extends it.
COPY tsconfig.base.json ./
ARG SERVICE
RUN pnpm turbo run build --filter="@scylla-es/${SERVICE}..." \
 && pnpm deploy --filter="@scylla-es/${SERVICE}" --prod /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the service: the process cannot rewrite its own code.
COPY --from=build /out ./
USER node
CMD ["node", "dist/main.js"]
