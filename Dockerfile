# woo-zoho-bridge: one image for both roles (`server`, `worker`) or both at once (`all`).
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
# postinstall generates the Prisma client; dev dependencies are not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund

COPY src ./src
COPY bin ./bin
COPY tsconfig.json ./

USER node
EXPOSE 8080
# Migrations are applied at start (by whichever process gets Postgres' advisory lock first).
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["all"]
