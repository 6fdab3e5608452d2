// `npm run resources:dump -- --root <dir> [--out file]` and `npm run resources:diff -- --base <rev>`:
// runs test/resources/resources.ts, which loads the Pulumi program's TypeScript (extensionless
// imports) through the same esbuild transform jest uses, registered here as a require hook.
const { readFileSync } = require("node:fs");
const transform = require("../esbuild-transform.js");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transform.process(readFileSync(filename, "utf8"), filename);
  module._compile(code, filename);
};

require("./resources.ts")
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
