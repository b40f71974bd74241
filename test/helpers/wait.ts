/** Polls `fn` every 100 ms until it returns a truthy value (returned), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | false | undefined | null>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
