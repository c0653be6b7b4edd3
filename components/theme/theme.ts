// The colour theme: "system" (follow the OS), "light" or "dark", remembered in localStorage and applied to <html>
// by an inline script in the document head before the first paint (so the page never flashes the wrong theme).

export type ThemePreference = "system" | "light" | "dark";
export const THEME_PREFERENCES: readonly ThemePreference[] = ["system", "light", "dark"];
export const THEME_STORAGE_KEY = "theme";
/** Browser UI colour (meta theme-color) per scheme: the page background, as in app/globals.css. */
export const THEME_COLORS = { light: "#ffffff", dark: "#17181b" } as const;

/**
 * Sets `data-theme` on <html> (the CSS picks `color-scheme` from it; none means "light dark", i.e. the OS) and
 * the theme-color metas. It is also the body of the head script (as its source text), so it may use only its
 * arguments and browser globals, and only syntax every browser runs as is.
 */
export function applyTheme(preference: string, colors: { light: string; dark: string }): void {
  const root = document.documentElement;
  if (preference === "light" || preference === "dark") root.setAttribute("data-theme", preference);
  else root.removeAttribute("data-theme");
  document.querySelectorAll('meta[name="theme-color"]').forEach((meta) => {
    const ownScheme = (meta.getAttribute("media") || "").indexOf("dark") >= 0 ? "dark" : "light";
    const scheme = preference === "light" || preference === "dark" ? preference : ownScheme;
    meta.setAttribute("content", colors[scheme]);
  });
}

/** The inline head script: reads the stored preference and applies it while the page is still parsing. */
export const THEME_SCRIPT = `(function(){try{var p=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});(${applyTheme.toString()})(p,${JSON.stringify(THEME_COLORS)})}catch(e){}})()`;

export function readThemePreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system"; // storage blocked (privacy settings): the OS decides
  }
}

export function saveThemePreference(preference: ThemePreference): void {
  try {
    if (preference === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not remembered, but still applied for this page.
  }
  applyTheme(preference, THEME_COLORS);
}
