import { ADDRESS_FREE_ATTEMPTS, MAX_ADDRESS_DELAY_MS, addressDelayMs } from '../../../server/auth/auth.service';

describe('the delay of an address (a shared proxy is slowed, never locked by a few failures)', () => {
  it.each([
    [1, 0], [ADDRESS_FREE_ATTEMPTS, 0], [ADDRESS_FREE_ATTEMPTS + 1, 250], [ADDRESS_FREE_ATTEMPTS + 2, 500],
    [ADDRESS_FREE_ATTEMPTS + 3, 1000], [ADDRESS_FREE_ATTEMPTS + 6, MAX_ADDRESS_DELAY_MS], [10_000, MAX_ADDRESS_DELAY_MS],
  ])('attempt %i waits %i ms', (n, ms) => {
    expect(addressDelayMs(n)).toBe(ms);
  });
});
