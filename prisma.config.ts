// Configuration for the Prisma CLI (generate, migrate deploy, studio) and for
// scripts/new-migration.ts. The service itself never loads it: it takes its database URL from
// src/config.ts and applies migrations through src/db/migrations.ts.
import { defineConfig } from 'prisma/config';

// Tools run outside the service's validated configuration, hence this one direct read of the
// environment. The default is a local Postgres with trust authentication, as in development.
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/woo_zoho_bridge';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl },
});
