// `kiosk center serve`: placeholder until the center server lands.
import { UsageError } from './cli.ts';

export async function centerCommand(args: string[], _out: Console): Promise<number> {
  throw new UsageError(`unknown center command "${args[0] ?? ''}"`);
}
