// Whole seconds left until a deadline (epoch ms), re-rendering every tick until it reaches 0.
import { useEffect, useState } from "react";
import { secondsLeft } from "@/lib/chat-client/time-words";

export function useCountdown(deadline: number | null): number {
  const [seconds, setSeconds] = useState(() => (deadline === null ? 0 : secondsLeft(deadline, Date.now())));

  useEffect(() => {
    if (deadline === null) {
      setSeconds(0);
      return;
    }
    setSeconds(secondsLeft(deadline, Date.now()));
    // Tick faster than once a second so the display never lags a whole second behind the deadline.
    const timer = window.setInterval(() => {
      const left = secondsLeft(deadline, Date.now());
      setSeconds(left);
      if (left === 0) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [deadline]);

  return seconds;
}
