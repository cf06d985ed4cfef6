/**
 * Where the runner and Pulumi find the project: the runner's default project folder is the
 * nearest Pulumi.yaml above the working directory (as the CLI finds it), and Pulumi.yaml's main
 * makes Pulumi run the program from the root with the project's own tsconfig.json.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { defaultProjectDir as planProjectDir } from "../automation/offline/plan";
import { defaultProjectDir, findProjectDir } from "../automation/runner/stacks";

const ROOT = path.resolve(__dirname, "..");

describe("default project folder", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "officeless-cwd-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is the nearest folder holding Pulumi.yaml, searching upward from the working directory", () => {
    const project = path.join(tmp, "infra");
    const nested = path.join(project, "node_modules", "@officeless", "platform", "dist");
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: officeless\nruntime: nodejs\n");
    expect(findProjectDir(nested)).toBe(project);
    expect(findProjectDir(project)).toBe(project);
    const cwd = process.cwd();
    try {
      process.chdir(path.join(project, "node_modules"));
      // Not the folder of the compiled file (the package), the user's project.
      expect(defaultProjectDir()).toBe(fs.realpathSync(project));
      expect(planProjectDir()).toBe(fs.realpathSync(project));
    } finally {
      process.chdir(cwd);
    }
  });

  it("says what to do when there is no Pulumi.yaml above the working directory", () => {
    const empty = fs.mkdtempSync(path.join(tmp, "empty-"));
    // tmpdir may itself sit below a folder with a Pulumi.yaml; only assert when it does not.
    let above = false;
    for (let d = empty; d !== path.dirname(d); d = path.dirname(d))
      if (fs.existsSync(path.join(d, "Pulumi.yaml"))) above = true;
    if (above) return;
    expect(() => findProjectDir(empty)).toThrow(
      /no Pulumi\.yaml in .* or any folder above it: run from the project folder or pass --project-dir/,
    );
  });
});

describe("Pulumi.yaml's main", () => {
  const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    main: string;
    runtime: { options?: { tsconfig?: string; typescript?: boolean } };
  };

  it("makes the project root the program folder, so Pulumi compiles with the project's tsconfig.json", () => {
    // The CLI runs the program from main's folder when main is a file (getPwdMain), and the
    // Node.js host loads `tsconfig.json` (or runtime.options.tsconfig) from there.
    const main = path.resolve(ROOT, project.main);
    expect(fs.statSync(main).isFile()).toBe(true);
    const pwd = path.dirname(main);
    expect(pwd).toBe(ROOT);
    const tsconfig = path.join(pwd, project.runtime.options?.tsconfig ?? "tsconfig.json");
    expect(fs.existsSync(tsconfig)).toBe(true);
    // Pulumi reads that file's own compilerOptions (no `extends`) and lets them override its
    // defaults (module nodenext, target ES2020), so they must all be in that file.
    const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as {
      loadTypeScriptCompilerOptions(file: string): Record<string, unknown>;
    };
    const options = loadTypeScriptCompilerOptions(tsconfig);
    expect(options).toMatchObject({ module: "commonjs", strict: true, target: "ES2022" });
    // The typecheck covers main, and transpile-only is not switched on for `pulumi up`.
    const raw = JSON.parse(fs.readFileSync(tsconfig, "utf8")) as {
      extends?: string;
      include: string[];
      compilerOptions: { noCheck?: boolean };
    };
    expect(raw.extends).toBeUndefined();
    expect(raw.compilerOptions.noCheck).toBeUndefined();
    expect(raw.include).toContain(project.main);
  });

  it("is not the package's library entry (index.ts keeps the exports)", () => {
    expect(project.main).not.toBe("index.ts");
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      main: string;
    };
    expect(pkg.main).toBe("dist/index.js");
    expect(fs.readFileSync(path.join(ROOT, "index.ts"), "utf8")).toMatch(/export \* from/);
  });
});
