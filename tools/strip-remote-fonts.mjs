// Removes @font-face rules that load fonts from another origin out of the built stylesheet.
// The design-system plugin declares its web fonts from a public CDN; Majlis makes no third-party
// requests (privacy, CSP, offline use), so pages use the system's Arabic and Latin fonts instead.
import { readFileSync, writeFileSync } from "node:fs";

const path = process.argv[2];
const css = readFileSync(path, "utf8");
let removed = 0;
const cleaned = css.replace(/@font-face\s*\{[^}]*\}/g, (rule) => {
  if (/url\(\s*["']?(https?:)?\/\//i.test(rule)) {
    removed += 1;
    return "";
  }
  return rule;
});
writeFileSync(path, cleaned);
console.log(`strip-remote-fonts: removed ${removed} remote @font-face rules from ${path}`);
