// The mis-issuance defect pack: the failures by which the real コンビニ交付 printed other people's certificates in
// 2023, each a switch in the simulator, so that a QA team can prove its checks would have caught it. Off unless
// KIOSK_DEFECT names one, and refused (exit 2) unless KIOSK_TEST=1 says the process is a test: a defect must never
// be on in a kiosk a resident could use. tests/defects/defects.test.ts turns each on and shows which check fails.

export const DEFECTS = {
  'yokohama-other-job':
    "横浜市 (2023-03): under load, a print job is released with another person's record: the center builds the certificate for the person " +
    'of the newest authenticated session at the center, not of the session the request names',
  'munakata-previous-applicant':
    "宗像市 (2023-05): the previous applicant's certificate is issued: the center builds the next certificate from the record it built last, " +
    'whoever asked for it',
  'adachi-unheeded-error':
    '足立区 (2023-05): error notices nobody acted on: the kiosk takes a failed print as done, so the person pays for a copy never printed ' +
    'and nobody is told',
} as const;
export type Defect = keyof typeof DEFECTS;

export class DefectRefusedError extends Error {
  override readonly name = 'DefectRefusedError';
}

/**
 * The defect turned on (KIOSK_DEFECT), or null. Throws DefectRefusedError for a name not in the pack, or when the
 * process is not a test (KIOSK_TEST=1): a defect switched on by mistake in a real kiosk must stop it, not run.
 */
export function activeDefect(env: NodeJS.ProcessEnv = process.env): Defect | null {
  const name = env.KIOSK_DEFECT;
  if (!name) return null;
  if (!(name in DEFECTS)) throw new DefectRefusedError(`KIOSK_DEFECT=${name} is no defect of the pack (${Object.keys(DEFECTS).join(', ')})`);
  if (env.KIOSK_TEST !== '1') throw new DefectRefusedError(`KIOSK_DEFECT=${name} is for tests only: set KIOSK_TEST=1 in a test run, or unset KIOSK_DEFECT`);
  return name as Defect;
}

/** Whether `defect` is the one turned on (read at each call: a test may turn one on and off). */
export const defectOn = (defect: Defect): boolean => activeDefect() === defect;
