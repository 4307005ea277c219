// The page frame every viewer page shares: header with navigation, then the page's own content.
import { html, raw } from "hono/html";
import { STYLE } from "./style";

export type Section = "traces" | "sessions" | "ab";

export function layout(title: string, section: Section | undefined, body: unknown) {
  const link = (href: string, label: string, s: Section) => html`<a href="${href}" class="${section === s ? "on" : ""}">${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Fallom local collector</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><a class="brand" href="/">fallom <span>local collector</span></a>
<nav>${link("/", "Traces", "traces")}${link("/sessions", "Sessions", "sessions")}${link("/ab", "A/B tests", "ab")}</nav></header>
<main>${body}</main>
</body>
</html>`;
}
