# woo-zoho-bridge: one image for both roles (`server`, `worker`) or both at once (`all`), and the
# operator CLI: `docker compose exec server node bin/woo-zoho-bridge.mjs status`.

# Compiles src/ to build/ (TypeScript is a dev dependency; the image runs plain JavaScript).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY tsconfig.json tsconfig.build.json ./
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
COPY patches ./patches
# postinstall applies patches/ (patch-package, see patches/README.md) and generates the Prisma
# client (src/db/generated is never copied from the build context, see .dockerignore); dev
# dependencies are not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --from=build /app/build ./build
# The CLI runs its TypeScript sources through tsx (short-lived, so its memory does not matter).
COPY src ./src
COPY bin ./bin
COPY tsconfig.json ./

# The setup code file (SETUP_CODE_FILE, .local/setup-code) is written by the bridge's own user.
RUN mkdir -m 700 /app/.local && chown node:node /app/.local
USER node
# 8080: webhooks, dashboard, /healthz, /readyz, /metrics. 9464: a worker's /metrics and /healthz
# when METRICS_PORT is set.
EXPOSE 8080 9464
# Migrations are applied at start (by whichever process gets Postgres' advisory lock first).
# Node handles SIGTERM itself (graceful shutdown), so it can run as PID 1. Plain node on the
# compiled build: no tsx loader in the long-running processes (bench/RESULTS.md, "Memory").
# The same memory settings as npm start (src/lean-runtime.ts says why; a test keeps them equal).
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--max-semi-space-size=8", "build/main.js"]
CMD ["all"]
