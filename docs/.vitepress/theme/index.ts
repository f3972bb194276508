// The default theme, plus <Mermaid>: the site's rendering of the pages' ```mermaid blocks.
import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import { Mermaid } from "./mermaid.ts";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("Mermaid", Mermaid);
  },
} satisfies Theme;
