// A center in another process (`kiosk center serve`), checked before a kiosk or a journey run relies on it.
import { StartError, UsageError } from './flags.ts';

/**
 * Checks that the center answers at the URL and is this kiosk's center before a kiosk relies on it: `/health` (is
 * anything there that calls itself the center?), then `/whoami`, signed with the key of the token read from
 * `tokenFile` (never sent), whose answer must carry the center's signature: a program that took the center's port
 * cannot make one. The terminal is the token's (`K01.…`; `terminal` for an older token without its id), and must be
 * `terminal` when one is given. StartError (exit 2) with what to do if not. The token never leaves the returned clients.
 */
export async function remoteCenter(url: string, tokenFile: string | undefined, terminal: string | null) {
  const { CenterClient } = await import('../../center/center-client.ts');
  const { CenterAuthenticationError, CenterImpostorError, CenterUnreachableError } = await import('../../center/issuance-center.ts');
  const { TokenFileError, readTokenFile } = await import('../../center/terminals.ts');
  const base = url.replace(/\/+$/, '');
  const register = `kiosk center terminal add ${terminal ?? 'K01'} --var DIR --out FILE`;
  if (!tokenFile) {
    throw new UsageError(`--center needs --center-token FILE, the kiosk's key to the center: register it with \`${register}\` (DIR: the center's --var), then give --center-token FILE`);
  }
  // The token from its file: trimmed, at most 1 KB, never echoed, never sent.
  let token: string;
  let named: string | null;
  try {
    ({ token, terminal: named } = readTokenFile(tokenFile));
  } catch (e) {
    if (!(e instanceof TokenFileError)) throw e;
    if (e.problem === 'too-large') throw new StartError(`${tokenFile} is larger than 1 KB: it is not a center token. Give the file \`${register}\` wrote`);
    if (e.problem === 'not-a-token') throw new StartError(`${tokenFile} does not hold a center token (ID.TOKEN, as kiosk center terminal add writes it): give the file \`${register}\` wrote`);
    throw new StartError(`cannot read the center token ${tokenFile} (${e.problem === 'not-a-file' ? 'not a regular file' : e.detail}): give the file \`${register}\` wrote`);
  }
  const as = named ?? terminal;
  if (!as) {
    throw new StartError(`${tokenFile} holds a token from before tokens named their terminal: give the terminal a new one with \`kiosk center terminal add ID --replace --var DIR --out ${tokenFile}\``);
  }
  try {
    await new CenterClient({ url: base }).health();
  } catch (e) {
    if (e instanceof CenterUnreachableError) {
      throw new StartError(`the center at ${base} does not answer: start it with \`kiosk center serve --port ${new URL(base).port}\``);
    }
    throw new StartError(`the center at ${base} is not usable: ${(e as Error).message}`);
  }
  let who: string;
  try {
    who = await new CenterClient({ url: base, token, terminal: as }).whoami();
  } catch (e) {
    if (e instanceof CenterImpostorError) throw new StartError(e.message);
    if (e instanceof CenterAuthenticationError) {
      throw new StartError(`the center at ${base} does not accept the token in ${tokenFile}: register the terminal with \`${register}\` (or --replace for a new token) and give that FILE`);
    }
    throw new StartError(`the center at ${base} is not usable: ${(e as Error).message}`);
  }
  if (terminal !== null && who !== terminal) {
    throw new StartError(`the token in ${tokenFile} is terminal ${who}'s, not ${terminal}'s: give --terminal ${who}, or the token file of ${terminal}`);
  }
  return { terminal: who, token, connect: () => new CenterClient({ url: base, token, terminal: who }) };
}

