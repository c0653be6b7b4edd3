// Rate-limit windows are aligned to the clock: tests that count inside one window start where there is room.

/**
 * Waits, if needed, until the current `windowSeconds` window (epoch-aligned, as the limiter's are) has at
 * least `neededMs` left, so that a sequence that must fit in one window never straddles its end.
 */
export async function roomInWindow(windowSeconds: number, neededMs: number): Promise<void> {
  const windowMs = windowSeconds * 1000;
  if (neededMs >= windowMs) throw new Error(`a ${windowSeconds} s window never has ${neededMs} ms of room`);
  const left = windowMs - (Date.now() % windowMs);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}
