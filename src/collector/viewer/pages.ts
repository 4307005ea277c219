// Every viewer page, server-rendered with hono/html (values are escaped).
import { html } from "hono/html";
import { layout } from "./layout";

export { tracesPage } from "./traces-page";
export { tracePage } from "./trace-page";
export { sessionsPage } from "./sessions-page";
export { abPage } from "./ab-page";

export function notFoundPage(message: string) {
  return layout("Not found", undefined, html`<h1>Not found</h1><p>${message} <a href="/">Back to traces</a></p>`);
}
