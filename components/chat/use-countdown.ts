// Whole seconds left until a deadline (epoch ms), re-rendering every tick until it reaches 0.
import { useEffect, useState } from "react";

function secondsUntil(deadline: number): number {
  return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
}

export function useCountdown(deadline: number | null): number {
  const [seconds, setSeconds] = useState(() => (deadline === null ? 0 : secondsUntil(deadline)));

  useEffect(() => {
    if (deadline === null) {
      setSeconds(0);
      return;
    }
    setSeconds(secondsUntil(deadline));
    // Tick faster than once a second so the display never lags a whole second behind the deadline.
    const timer = window.setInterval(() => {
      const left = secondsUntil(deadline);
      setSeconds(left);
      if (left === 0) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [deadline]);

  return seconds;
}
