#!/usr/bin/env node
import { ConfigError } from '@catalens/config';
import {
  ApiKeyNotFoundError,
  TenantAlreadyExistsError,
  TenantNotFoundError,
  MigrationError,
} from '@catalens/db';
import { Command, CommanderError } from 'commander';
import { registerDlqCommands } from './commands/dlq.command';
import { registerEmbedMapCommand } from './commands/embed-map.command';
import { registerEvalCommand } from './commands/eval.command';
import { registerKeyCommands } from './commands/keys.command';
import { registerMigrateCommand } from './commands/migrate.command';
import { registerReindexCommand } from './commands/reindex.command';
import { registerStoreCommands } from './commands/store.command';
import { registerTenantCommands } from './commands/tenants.command';
import { registerTrainCommands } from './commands/train.command';
import { CliUsageError } from './admin/tenant-admin.service';

/** Errors a user can fix from the message alone: printed without a stack, exit code 2. */
const USER_ERRORS = [
  ConfigError,
  CliUsageError,
  TenantAlreadyExistsError,
  TenantNotFoundError,
  ApiKeyNotFoundError,
  MigrationError,
];

export function buildProgram(): Command {
  const program = new Command('catalens')
    .description(
      'catalens operations: database migrations, tenants, API keys, model evaluation and training, dead letters',
    )
    .showHelpAfterError()
    .exitOverride();
  registerMigrateCommand(program);
  registerTenantCommands(program);
  registerKeyCommands(program);
  registerEvalCommand(program);
  registerEmbedMapCommand(program);
  registerTrainCommands(program);
  registerDlqCommands(program);
  registerStoreCommands(program);
  registerReindexCommand(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    if (USER_ERRORS.some((type) => error instanceof type)) {
      process.stderr.write(`catalens: ${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `catalens: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  }
}

if (require.main === module) void main();
