// Lint (run by `npm test`): typescript-eslint's type-checked recommendations
// with the few settings this code base needs. Formatting is Prettier's.
import eslint from "@eslint/js";
import jsdoc from "eslint-plugin-jsdoc";
import tsdoc from "eslint-plugin-tsdoc";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // bench/project (and the peers' programs), examples and the test programs import the packed "netplumb"; tsconfig.examples.json type-checks them.
    { ignores: ["dist/", "node_modules/", ".tools/", "examples/", "bench/project/", "bench/per-command/", "bench/empty-ts/", "bench/empty-js/", "bench/one-dynamic/", "test/programs/", "bench/results/", "test/support/summary-reporter.js", "test/support/supervise.js", "test/support/mount-secret.js", "test/support/emulated-host-init.js", "test/support/tcp-forward.js", "test/support/tcp-blast.js", "eslint.config.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            // `import x = require("../providers/veth")` is how a module that does `export =` is imported.
            "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
            // A leading underscore marks a value left out on purpose (`const { drift: _drift, ...rest } = state`).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        },
    },
    {
        // The SDK's public API: every exported symbol has a doc comment, and doc comments are valid TSDoc (what TypeDoc renders: `npm run docs`).
        files: ["sdk/**/*.ts"],
        plugins: { jsdoc, tsdoc },
        rules: {
            "tsdoc/syntax": "error",
            "jsdoc/require-jsdoc": [
                "error",
                {
                    publicOnly: true,
                    require: { FunctionDeclaration: true, ClassDeclaration: true },
                    contexts: ["TSInterfaceDeclaration", "TSTypeAliasDeclaration", "TSEnumDeclaration", "ExportNamedDeclaration > VariableDeclaration"],
                },
            ],
        },
    },
    {
        // Tests: doubles implement async interfaces without awaiting, and assertions read parsed JSON.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/require-await": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
        },
    },
);
