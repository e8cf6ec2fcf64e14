import type { INestApplicationContext, Type } from '@nestjs/common';
import type { EntityList } from '../database/data-source-options';

/** A command's Nest feature modules (configuration, the database and the audit trail come with them). */
export type CliModules = Type[];

/**
 * What every command gets: output streams, one way to turn errors into messages and exit
 * codes, and a Nest application context built on first use from only the modules the command
 * names (with configuration and the database). This file and every `<feature>.cli.ts` import
 * nothing heavy at the top: `--help` and argument errors never load Nest, TypeORM or a driver.
 */
export class CliContext {
  private app?: INestApplicationContext;
  exitCode = 0;
  /**
   * The entity list, loaded only when a command opens the database. The composition root
   * (`runCli` in src/cli.ts) provides it, so this layer does not import every feature.
   */
  entities?: () => Promise<EntityList>;

  constructor(
    readonly out: NodeJS.WritableStream = process.stdout,
    readonly err: NodeJS.WritableStream = process.stderr,
    /** Where secrets are read from (`--password-stdin`); tests pass their own. */
    readonly input: NodeJS.ReadableStream = process.stdin,
  ) {}

  /** A provider of the command's modules; one context per process (a run is one command). */
  async get<T>(token: Type<T>, modules: CliModules): Promise<T> {
    if (!this.app) {
      // Commands load data explicitly; the server's start-up seeding does not run here.
      process.env.SEED_ON_START = 'false';
      const { NestFactory } = await import('@nestjs/core');
      if (!this.entities) throw new Error('CliContext.entities is not set (runCli sets it)');
      const entities = await this.entities();
      this.app = await NestFactory.createApplicationContext(await rootModule(modules, entities), {
        logger: ['error'],
      });
      // As the server's start-up does: the schema is brought up to date before anything reads.
      const [{ DataSource }, { runMigrations }] = await Promise.all([import('typeorm'), import('../database/connect')]);
      await runMigrations(this.app.get(DataSource));
    }
    return this.app.get(token, { strict: false });
  }

  print(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Runs a command body; errors become a message and a non-zero exit code. */
  async run(fn: () => Promise<number | void>): Promise<void> {
    try {
      const code = await fn();
      if (typeof code === 'number') this.exitCode = code;
    } catch (e) {
      const [{ DomainError, exitCodeFor }, { ConfigError }] = await Promise.all([
        import('../common/errors'),
        import('../config/config'),
      ]);
      if (e instanceof DomainError || e instanceof ConfigError) {
        this.err.write(`error: ${e.message}\n`);
        this.exitCode = e instanceof ConfigError ? 2 : exitCodeFor(e);
      } else {
        this.err.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
        this.exitCode = 1;
      }
    }
  }

  async close(): Promise<void> {
    if (this.app) await this.app.close();
  }
}

/** Configuration, the database and the audit trail under the command's own modules. */
async function rootModule(modules: CliModules, entities: EntityList): Promise<Type> {
  const [{ Module }, { AppConfigModule }, { DatabaseModule }, { AuditModule }] = await Promise.all([
    import('@nestjs/common'),
    import('../config/config.module'),
    import('../database/database.module'),
    import('../audit/audit.module'),
  ]);
  class CliModule {}
  Module({ imports: [AppConfigModule, DatabaseModule.forRoot(entities), AuditModule, ...modules] })(CliModule);
  return CliModule;
}
