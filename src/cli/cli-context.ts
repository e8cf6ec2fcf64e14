import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainError, exitCodeFor } from '../common/errors';
import { ConfigError } from '../config/config';

/**
 * What every command gets: the Nest modules (opened lazily, so `--help` never touches the
 * database), output streams, and one way to turn errors into messages and exit codes.
 */
export class CliContext {
  private app?: INestApplicationContext;
  exitCode = 0;

  constructor(
    readonly out: NodeJS.WritableStream = process.stdout,
    readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  async get<T>(token: Type<T>): Promise<T> {
    if (!this.app) {
      // Commands load data explicitly; the server's start-up seeding does not run here.
      process.env.SEED_ON_START = 'false';
      const { AppModule } = await import('../app.module');
      this.app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
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
