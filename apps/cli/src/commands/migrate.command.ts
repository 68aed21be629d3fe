import { defaultMigrationsDir, migrate } from '@catalens/db';
import type { Command } from 'commander';
import { loadDatabaseConfig } from '../config';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (prisma/migrations) to DATABASE_URL; safe to re-run')
    .option('--dir <path>', 'migrations directory', defaultMigrationsDir())
    .action(async (options: { dir: string }) => {
      const { DATABASE_URL } = loadDatabaseConfig();
      const result = await migrate(DATABASE_URL, options.dir, (line) => process.stdout.write(`${line}\n`));
      process.stdout.write(
        `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied\n`,
      );
    });
}
