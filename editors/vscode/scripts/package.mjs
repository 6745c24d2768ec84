// Builds the extension and packages it into a .vsix.
//
//   npm run package                                   # no server inside: uses annalist.server.path or PATH
//   npm run package -- --bundle-server ../../target/release/annalist
//   ANNALIST_SERVER_BINARY=../../target/release/annalist npm run package
//
// With a server, it is copied to server/annalist and the package is marked for the
// current platform (e.g. linux-x64), since the binary only runs there.
// Options: --target <vscode-target> to override the platform, --out <file.vsix>,
// --no-strip to keep the server's debug info (it is stripped by default).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const args = process.argv.slice(2);
function opt(name) {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) {
    console.error(`package: ${name} needs a value`);
    process.exit(2);
  }
  return v;
}
for (const a of args) {
  if (a.startsWith("--") && !["--bundle-server", "--target", "--out", "--no-strip"].includes(a)) {
    console.error(`package: unknown option ${a} (known: --bundle-server PATH, --target TARGET, --out FILE, --no-strip)`);
    process.exit(2);
  }
}

const serverArg = opt("--bundle-server") ?? process.env.ANNALIST_SERVER_BINARY;
const serverDir = path.join(root, "server");
fs.rmSync(serverDir, { recursive: true, force: true });

let target = opt("--target");
if (serverArg) {
  const src = path.resolve(process.env.INIT_CWD ?? root, serverArg);
  if (!fs.existsSync(src) || !fs.statSync(src).isFile()) {
    console.error(`package: server binary not found: ${src} (build it with \`cargo build --release\`)`);
    process.exit(1);
  }
  const exe = process.platform === "win32" ? "annalist.exe" : "annalist";
  fs.mkdirSync(serverDir, { recursive: true });
  fs.copyFileSync(src, path.join(serverDir, exe));
  fs.chmodSync(path.join(serverDir, exe), 0o755);
  // Release builds may carry debug info (tens of MB): strip the copy, not the original.
  if (!args.includes("--no-strip") && process.platform !== "win32") {
    try {
      execFileSync("strip", [path.join(serverDir, exe)], { stdio: "ignore" });
    } catch {
      console.log("package: `strip` not available; bundling the server as is");
    }
  }
  if (!target) {
    const os = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform];
    const arch = { x64: "x64", arm64: "arm64", arm: "armhf" }[process.arch];
    if (os && arch) target = `${os}-${arch}`;
  }
  console.log(`package: bundling server ${src}${target ? ` for ${target}` : ""}`);
}

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const out = opt("--out") ?? `${pkg.name}-${target ? `${target}-` : ""}${pkg.version}.vsix`;

const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
execFileSync(bin("tsc"), ["--noEmit", "-p", "."], { stdio: "inherit" });
const vsceArgs = ["package", "--no-dependencies", "--out", out];
if (target) vsceArgs.push("--target", target);
execFileSync(bin("vsce"), vsceArgs, { stdio: "inherit" });
console.log(`package: wrote ${path.resolve(out)}`);
