// What Vite puts on import.meta in the theme's code (its own types are not a dependency here).
interface ImportMeta {
  readonly env: { readonly DEV: boolean };
}
