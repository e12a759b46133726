// `kiosk print sample`: placeholder until the printer's sample command lands.
import { UsageError } from './cli.ts';

export async function printCommand(args: string[], _out: Console): Promise<number> {
  throw new UsageError(`unknown print command "${args[0] ?? ''}"`);
}
