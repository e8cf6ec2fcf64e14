import { Command } from 'commander';
import { CliContext } from '../cli/cli-context';

export function registerBenchCommands(_program: Command, _ctx: CliContext): void {}
