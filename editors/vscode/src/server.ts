// Finding the `annalist` executable: the setting, else the bundled binary, else PATH.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export type ServerSource = "setting" | "bundled" | "path";

export interface FoundServer {
  command: string;
  source: ServerSource;
}

export interface NotFound {
  /** What was tried, in order, for the message shown to the user. */
  tried: string[];
  /** The configured path, when one was set but is unusable. */
  badSetting?: string;
}

const EXE = process.platform === "win32" ? "annalist.exe" : "annalist";

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expand `~` and `${workspaceFolder}` / `${userHome}` in a configured path. */
export function expandPath(raw: string, workspaceFolder: string | undefined): string {
  let p = raw.trim();
  if (p === "~" || p.startsWith("~/") || p.startsWith("~\\")) {
    p = path.join(os.homedir(), p.slice(1));
  }
  p = p.replace(/\$\{userHome\}/g, os.homedir());
  if (workspaceFolder !== undefined) {
    p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (!path.isAbsolute(p) && workspaceFolder !== undefined && p.includes(path.sep)) {
    p = path.join(workspaceFolder, p);
  }
  return p;
}

/** Look `name` up on PATH (with PATHEXT on Windows). */
export function whichOnPath(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  const exts =
    process.platform === "win32"
      ? ["", ...(process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").map((e) => e.toLowerCase())]
      : [""];
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === "") {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

export function findServer(
  configured: string | undefined,
  extensionPath: string,
  workspaceFolder: string | undefined,
): FoundServer | NotFound {
  const tried: string[] = [];
  if (configured !== undefined && configured.trim() !== "") {
    const p = expandPath(configured, workspaceFolder);
    if (isExecutableFile(p)) {
      return { command: p, source: "setting" };
    }
    // A bare name ("annalist-dev") is looked up on PATH.
    if (!p.includes("/") && !p.includes("\\")) {
      const onPath = whichOnPath(p);
      if (onPath !== undefined) {
        return { command: onPath, source: "setting" };
      }
    }
    // A set but broken path is an error: do not silently fall back to another binary.
    return { tried: [`annalist.server.path = ${p}`], badSetting: p };
  }
  const bundled = path.join(extensionPath, "server", EXE);
  tried.push(`bundled ${bundled}`);
  if (isExecutableFile(bundled)) {
    return { command: bundled, source: "bundled" };
  }
  tried.push(`"${EXE}" on PATH`);
  const onPath = whichOnPath("annalist");
  if (onPath !== undefined) {
    return { command: onPath, source: "path" };
  }
  return { tried };
}

export function isFound(r: FoundServer | NotFound): r is FoundServer {
  return (r as FoundServer).command !== undefined;
}
