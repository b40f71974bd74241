// Minimal typings for ejs 7 (ships no types): the one call the committee dossier's sections use.
declare module 'ejs' {
  export function renderFile(path: string, data: Record<string, unknown>, opts: { async: false }): Promise<string>;
}
