// ESLint for the page code (book/interactive/*.js) and these tests. Run
// from the repository root, as `npm run lint` does (ESLint lints only files
// under the directory it runs in). The rules start from mdBook's own for its
// book.js (no-var, prefer-const, eqeqeq, curly, unused names), on ESLint's
// recommended set, and hold the page code to the sizes the Rust is held to:
// no script over 500 lines, no function over 80 (each script's wrapping
// function excepted).
//
// The page scripts are classic scripts that share one global scope: each
// says which globals of the others it uses (`/* global workbook */`) and
// which it provides (`/* exported workbookRuns */`).

import js from "@eslint/js";
import globals from "globals";

const MDBOOK = {
  "no-var": "error",
  "prefer-const": "error",
  eqeqeq: "error",
  curly: "error",
  "no-unused-vars": [
    "error",
    { vars: "local", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
  ],
};

const SIZES = {
  "max-lines": ["error", { max: 500, skipBlankLines: true, skipComments: true }],
  "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true, IIFEs: false }],
};

export default [
  {
    files: ["book/interactive/**/*.js"],
    ...js.configs.recommended,
  },
  {
    files: ["book/interactive/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: { ...MDBOOK, ...SIZES },
  },
  {
    files: ["tests/browser/**/*.mjs"],
    ...js.configs.recommended,
  },
  {
    files: ["tests/browser/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    rules: MDBOOK,
  },
];
