// ESLint flat config: the rules that catch real bugs, on our own code only (vendored code is excluded).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["webapp/static/vendor/**", "tests/vendor/**", "node_modules/**", ".venv/**", "bench/out/**"] },
  js.configs.recommended,
  {
    rules: {
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-shadow": "error",
      "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
      "no-implicit-globals": "error",
      "no-promise-executor-return": "error",
      "no-self-compare": "error",
      "no-template-curly-in-string": "error",
      "no-unmodified-loop-condition": "error",
      "no-unreachable-loop": "error",
      "require-atomic-updates": "off", // false positives on awaited IndexedDB transactions
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-return-assign": ["error", "except-parens"],
      "array-callback-return": "error",
      "no-constructor-return": "error",
      "no-await-in-loop": "off", // sync batches run in order on purpose
      "max-len": ["error", { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
    },
  },
  {
    files: ["webapp/static/pwa/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["webapp/static/pwa/sw.js", "webapp/static/pwa/qr-worker.js"],
    languageOptions: { globals: { ...globals.serviceworker, ...globals.worker } },
  },
  {
    // Classic page scripts (no modules), written in ES5 style on purpose: var is not a bug there.
    files: ["webapp/static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
    rules: { "no-var": "off" },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js", "scripts/**/*.js", "bench/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
