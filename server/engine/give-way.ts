/**
 * A pause for the event loop in long engine work. Awaiting a store call that answers synchronously
 * (the embedded store) continues as a microtask, so a loop of such awaits never lets an HTTP request,
 * /healthz included, in; these pauses go through the macrotask queue (setImmediate).
 *
 * `const breathe = giveWay()`: `await breathe()` yields once 50 ms have passed since the last yield,
 * `await breathe(true)` always.
 */
export function giveWay(everyMs = 50): (always?: boolean) => Promise<void> {
  let last = performance.now();
  return async (always = false) => {
    if (!always && performance.now() - last < everyMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}
