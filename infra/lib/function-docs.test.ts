/**
 * functions/README.md is where a newcomer learns what each function is and reads: its tables must
 * name every function folder and every variable a function's env schema parses, with the functions
 * that read it. So a function or variable added without its documentation fails here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { FUNCTION_ENV_SCHEMAS, FUNCTION_FOLDERS, type FunctionFolder } from "./function-table";

const README = readFileSync(path.join(__dirname, "..", "..", "functions", "README.md"), "utf8");

/** The rows of the markdown table whose header's first cell is `first`, as cells. */
function tableRows(first: string): string[][] {
  const lines = README.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${first}\\s*\\|`).test(line));
  if (start < 0) throw new Error(`functions/README.md has no table starting with "${first}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** Backticked names in a cell: "`A`, `B`" → ["A", "B"]. */
function codeNames(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

describe("functions/README.md", () => {
  it("lists every function folder, and no other", () => {
    // Act
    const folders = tableRows("folder").map(([cell]) => codeNames(cell ?? "")[0]);

    // Assess
    expect(folders.sort()).toEqual([...FUNCTION_FOLDERS].sort());
  });

  it("lists every variable each function's env schema reads, with that function among its readers", () => {
    // Prepare
    const documented = new Map<string, string>();
    for (const [variables = "", users = ""] of tableRows("variable")) {
      for (const name of codeNames(variables)) documented.set(name, users);
    }
    const readers = (users: string, folder: FunctionFolder) =>
      users === "all" || users.split(/,\s*/).includes(folder);

    // Act
    const missing = FUNCTION_FOLDERS.flatMap((folder) =>
      Object.keys(FUNCTION_ENV_SCHEMAS[folder].shape)
        .filter((name) => !readers(documented.get(name) ?? "", folder))
        .map((name) => `${folder}: ${name}`),
    );

    // Assess
    expect(missing).toEqual([]);
  });
});
