/**
 * The embedded data folder's permissions: DATA_DIR holds the PGlite files (answers, e-mail
 * addresses, password hashes), the generated secrets and the sockets, so only the account
 * running Qualimètre may enter it. PGlite writes its initial files 0666 whatever the umask,
 * hence: the process umask becomes 077 before anything is created, the folder is created 0700,
 * and every path under it is brought to 0700 (folders) / 0600 (files) at start-up and after
 * PGlite's first open. Symbolic links are not followed.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Create `dir` (0700) if needed; returns the number of paths whose mode was repaired. */
export function secureDataDir(dir: string): number {
  try {
    process.umask(0o077);
  } catch {
    /* worker threads cannot change the umask; the repair below still runs */
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return repairModes(dir);
}

/** Iterative walk (a deep tree cannot overflow the stack); owner-only modes. */
export function repairModes(root: string): number {
  let repaired = 0;
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue; // removed meanwhile
    }
    if (st.isSymbolicLink()) continue;
    const mode = st.mode & 0o777;
    const wanted = st.isDirectory() ? 0o700 : (mode & 0o700) | 0o600;
    if (mode !== wanted) {
      fs.chmodSync(p, wanted);
      repaired++;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) stack.push(path.join(p, name));
  }
  return repaired;
}
