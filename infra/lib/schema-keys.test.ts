import { readFileSync } from "node:fs";
import * as path from "node:path";
import { literalSchemaKeys, SCHEMA_FILE } from "./schema-keys";

describe("literalSchemaKeys", () => {
  it("spells a computed key naming one of the file's string constants as that string", () => {
    // Prepare
    const source = [
      'const _h = "http";',
      'const _hH = "httpHeader";',
      "export var HeadObjectRequest$ = [3, n0, _HOR, 0, [_IM], [[0, { [_hH]: _IM_ }]]];",
      'export var HeadObject$ = [9, n0, _HO, { [_h]: ["HEAD", "/{Key+}", 200] }, () => HeadObjectRequest$];',
      "const pair = { a: 1, [_h]: 2 };",
    ].join("\n");

    // Act
    const rewritten = literalSchemaKeys(source);

    // Assess
    expect(rewritten).toContain('{ "httpHeader": _IM_ }');
    expect(rewritten).toContain('{ "http": ["HEAD", "/{Key+}", 200] }');
    expect(rewritten).toContain('{ a: 1, "http": 2 }');
    expect(rewritten.split("\n")[0]).toBe('const _h = "http";');
  });

  it("leaves keys it cannot prove to be plain strings, and member access, as they are", () => {
    // Prepare: `_x` is not a string constant; `__proto__` as a literal key would set the prototype.
    const source = [
      'const _p = "__proto__";',
      'const _h = "http";',
      "const _x = f();",
      "const a = { [_x]: 1, [_p]: 2 };",
      "const b = c ? d[_h] : e;",
    ].join("\n");

    // Act / Assess
    expect(literalSchemaKeys(source)).toBe(source);
  });

  it("rewrites every computed key of a real client's schema file, so none keeps an unused schema", () => {
    // Prepare
    const file = require.resolve("@aws-sdk/client-s3/dist-es/schemas/schemas_0.js");
    const source = readFileSync(file, "utf8");

    // Act
    const rewritten = literalSchemaKeys(source);

    // Assess
    expect(SCHEMA_FILE.test(file)).toBe(true);
    expect(source).toMatch(/[{,]\s*\[_\w+\]:/);
    expect(rewritten).not.toMatch(/[{,]\s*\[_\w+\]:/);
    expect(rewritten.split("\n")).toHaveLength(source.split("\n").length);
  });

  it("recognises a schema file by path on any platform, and no other file", () => {
    expect(
      SCHEMA_FILE.test(
        path.join("node_modules", "@aws-sdk", "client-sqs", "dist-es", "schemas", "schemas_0.js"),
      ),
    ).toBe(true);
    expect(
      SCHEMA_FILE.test("C:\\r\\node_modules\\@aws-sdk\\client-sfn\\dist-es\\schemas\\schemas_1.js"),
    ).toBe(true);
    expect(SCHEMA_FILE.test("node_modules/@aws-sdk/client-sqs/dist-es/commands/SendMessageCommand.js")).toBe(
      false,
    );
    expect(SCHEMA_FILE.test("node_modules/@aws-sdk/core/dist-es/schemas/schemas_0.js")).toBe(false);
  });
});
