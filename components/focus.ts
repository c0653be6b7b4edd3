// Keeps keyboard focus in the composer when the control that had it disappears (Retry, Stop, New chat…).
export function focusComposer(): void {
  window.requestAnimationFrame(() => document.getElementById("composer-input")?.focus());
}
