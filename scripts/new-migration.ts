// Writes the next migration: the SQL that takes a database from the migrations folder's schema to
// prisma/schema.prisma, as `prisma migrate dev --create-only` would, without the native engine.
//
//   npm run db:new-migration -- <name>
//
// It needs a Postgres server (the one DATABASE_URL points at) to replay the migrations folder in
// a throwaway shadow database; the database DATABASE_URL names is neither needed nor touched.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import prismaConfig from '../prisma.config.ts';
import { maintenanceConfigFor } from '../src/db/connection-config.ts';
import { LOCKFILE, LOCKFILE_CONTENT, MIGRATION_SCRIPT, readMigrationsFolder } from '../src/db/migrations-folder.ts';
import { noExternalEntities, withSchemaEngine } from '../src/db/schema-engine.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Prisma's folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Folder names stay portable and readable: lower case, digits and underscores. */
function migrationSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const slug = migrationSlug(process.argv[2] ?? '');
  if (!slug) {
    console.error('Usage: npm run db:new-migration -- <name>   (e.g. add_contact_source)');
    process.exit(2);
  }
  const schemaPath = resolve(repoRoot, prismaConfig.schema ?? 'prisma/schema.prisma');
  const migrationsDir = resolve(repoRoot, prismaConfig.migrations?.path ?? 'prisma/migrations');
  const databaseUrl = prismaConfig.datasource?.url;
  if (!databaseUrl) throw new Error('prisma.config.ts has no datasource URL.');

  // The engine reads the provider from the lockfile, so it has to exist before the first diff.
  await mkdir(migrationsDir, { recursive: true });
  const lockfilePath = join(migrationsDir, LOCKFILE);
  if (!(await exists(lockfilePath))) await writeFile(lockfilePath, LOCKFILE_CONTENT);

  const migrationsList = await readMigrationsFolder(migrationsDir);
  const schema = await readFile(schemaPath, 'utf8');
  const { exitCode, stdout } = await withSchemaEngine(maintenanceConfigFor(databaseUrl), (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      // Asks the engine to say, through exitCode 2, whether there is any difference at all.
      exitCode: true,
      filters: noExternalEntities,
    }),
  );

  if (exitCode !== 2 || !stdout) {
    console.log('no changes');
    return;
  }
  const folder = `${migrationTimestamp(new Date())}_${slug}`;
  await mkdir(join(migrationsDir, folder));
  await writeFile(join(migrationsDir, folder, MIGRATION_SCRIPT), stdout);
  console.log(`Wrote ${join(migrationsDir, folder, MIGRATION_SCRIPT)}`);
}

await main();
