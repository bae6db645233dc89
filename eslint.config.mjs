// ESLint flat config: typescript-eslint's recommended rules, plus the type-aware rules that catch
// what tests rarely do (a promise nobody awaits, an async callback where a sync one is expected).
// `npm run lint` runs it with `prettier --check` and the dependency rules (.dependency-cruiser.cjs).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", "policy/node_modules/"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/require-await": "off",
      // Deliberate: terminal escapes are stripped (ttyProgress) and JSON's control-character rule matched.
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Plain JavaScript that runs before anything is compiled (bin/), and test fixtures run by node.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs", "bin/nexxt-onboard"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        afterAll: "readonly",
        it: "readonly",
        expect: "readonly",
        setTimeout: "readonly",
        setInterval: "readonly",
        clearTimeout: "readonly",
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
        console: "readonly",
        SharedArrayBuffer: "readonly",
        Atomics: "readonly",
        performance: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  { files: ["**/*.mjs"], languageOptions: { sourceType: "module" } },
);
