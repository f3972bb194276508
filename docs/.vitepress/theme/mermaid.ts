// Draws one ```mermaid block (config.ts turns each into <Mermaid code="...">) as an SVG in the
// browser, with the `mermaid` package, as GitHub does; again when the reader switches to dark.
// The built site loads mermaid's own minified ES build, copied beside the pages by config.ts
// (bundling mermaid again would add a minute to every build); `pnpm docs:dev` imports it.
import type { Mermaid as MermaidApi } from "mermaid";
import { useData, withBase } from "vitepress";
import { defineComponent, h, onMounted, ref, watch } from "vue";

const loadMermaid = async (): Promise<MermaidApi> =>
  import.meta.env.DEV
    ? (await import("mermaid")).default
    : (await import(/* @vite-ignore */ withBase(MERMAID_PATH))).default;

let diagrams = 0;
const MERMAID_PATH = "/mermaid/mermaid.esm.min.mjs";

export const Mermaid = defineComponent({
  name: "Mermaid",
  props: { code: { type: String, required: true } },
  setup(props) {
    const { isDark } = useData();
    const svg = ref("");
    const failed = ref("");
    const id = `mermaid-${++diagrams}`;
    const source = decodeURIComponent(props.code);

    const draw = async () => {
      const mermaid = await loadMermaid();
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: isDark.value ? "dark" : "default",
        fontFamily: "var(--vp-font-family-base)",
        // Long messages wrap between the lifelines instead of widening the diagram past the
        // text column (where it would be shrunk to an unreadable size).
        sequence: { wrap: true },
      });
      try {
        svg.value = (await mermaid.render(id, source)).svg;
        failed.value = "";
      } catch (error) {
        failed.value = String(error);
        console.error(`Mermaid could not draw a diagram: ${failed.value}\n${source}`);
      }
    };

    onMounted(draw);
    watch(isDark, draw);

    return () =>
      failed.value
        ? h("pre", { class: "mermaid-failed" }, `${failed.value}\n\n${source}`)
        : h("div", { class: "mermaid-diagram", innerHTML: svg.value });
  },
});
