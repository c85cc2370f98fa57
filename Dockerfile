# One image recipe for every service: `docker build --build-arg SERVICE=command-service .`
FROM node:20-bookworm-slim AS build
ENV COREPACK_INTEGRITY_KEYS=0
RUN npm install --global pnpm@9.15.9
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json turbo.json tsconfig.base.json .npmrc ./
COPY packages packages
COPY services services
COPY schema schema
COPY infra/local/cassandra/package.json infra/local/cassandra/package.json
RUN pnpm install --frozen-lockfile
ARG SERVICE
RUN pnpm turbo run build --filter=@scylla-es/${SERVICE}... \
 && pnpm deploy --filter=@scylla-es/${SERVICE} --prod /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out .
USER node
CMD ["node", "dist/main.js"]
