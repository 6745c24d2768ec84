// The Annalist extension: starts `annalist lsp` for Markdown files and adds a
// status bar item, a few commands and a timeline view.

import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { findServer, FoundServer, isFound } from "./server";
import { TimelinePanel } from "./timeline";

const SECTION = "annalist";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let trace: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let server: FoundServer | undefined;
let notFoundShown = false;
let starting: Promise<void> | undefined;
let stopReason: string | undefined;

/** The `annalist` settings section as a plain object (sent whole to the server). */
export function annalistSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const get = <T>(key: string, dflt: T): T => cfg.get<T>(key, dflt);
  return {
    server: { path: get<string>("server.path", "") },
    rules: get<Record<string, string>>("rules", {}),
    romanisation: {
      korean: get<string | null>("romanisation.korean", null),
      chinese: get<string | null>("romanisation.chinese", null),
      russian: get<string | null>("romanisation.russian", null),
      prefer: get<string>("romanisation.prefer", "majority"),
    },
    claims: { scope: get<string>("claims.scope", "paragraph") },
    features: {
      hover: get<boolean>("features.hover", true),
      semanticTokens: get<boolean>("features.semanticTokens", true),
      inlayHints: get<boolean>("features.inlayHints", true),
      completion: get<boolean>("features.completion", true),
      entities: get<boolean>("features.entities", true),
      dates: get<boolean>("features.dates", true),
    },
    trace: { server: get<string>("trace.server", "off") },
  };
}

function feature(name: string): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>(`features.${name}`, true);
}

function setStatus(kind: "starting" | "running" | "stopped" | "missing", detail?: string): void {
  const where = server ? `\n${server.command} (${server.source})` : "";
  switch (kind) {
    case "starting":
      status.text = "$(sync~spin) Annalist";
      status.tooltip = `Annalist: starting the server${where}`;
      status.backgroundColor = undefined;
      break;
    case "running":
      status.text = "$(book) Annalist";
      status.tooltip = `Annalist: server running${where}\nClick for the output.`;
      status.backgroundColor = undefined;
      break;
    case "stopped":
      status.text = "$(error) Annalist";
      status.tooltip = `Annalist: server stopped${detail ? ` — ${detail}` : ""}${where}\nClick for the output; "Annalist: Restart Server" starts it again.`;
      status.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
      break;
    case "missing":
      status.text = "$(warning) Annalist";
      status.tooltip = `Annalist: server not found${detail ? ` — ${detail}` : ""}\nClick for the output.`;
      status.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
      break;
  }
  status.show();
}

function workspaceFolderPath(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("server.path", "");
  const found = findServer(configured, context.extensionPath, workspaceFolderPath());
  if (!isFound(found)) {
    server = undefined;
    const what = found.badSetting
      ? `"annalist.server.path" is set to ${found.badSetting}, which is not an executable file.`
      : "The Annalist server (`annalist`) was not found.";
    const todo = found.badSetting
      ? "Fix or clear the setting, then run \"Annalist: Restart Server\"."
      : "Install it (`cargo install --path .` in the Annalist repository, or put a release binary on PATH), or set \"annalist.server.path\", then run \"Annalist: Restart Server\".";
    output.error(`${what} Tried: ${found.tried.join("; ")}. ${todo}`);
    setStatus("missing", found.badSetting ? "bad annalist.server.path" : "install annalist or set annalist.server.path");
    if (!notFoundShown) {
      // One message per session, never a loop.
      notFoundShown = true;
      void vscode.window.showErrorMessage(`${what} ${todo}`, "Open Settings", "Show Output").then((choice) => {
        if (choice === "Open Settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "annalist.server.path");
        } else if (choice === "Show Output") {
          output.show(true);
        }
      });
    }
    return;
  }
  server = found;
  stopReason = undefined;
  output.info(`Starting ${found.command} lsp (${found.source})`);

  const serverOptions: ServerOptions = {
    run: { command: found.command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command: found.command, args: ["lsp"], transport: TransportKind.stdio },
  };

  let crashes: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/annalist.toml"),
    },
    initializationOptions: { [SECTION]: annalistSettings() },
    outputChannel: output,
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: {
      error: (error, _message, count) => {
        output.error(`Connection error: ${error.message} (${count ?? 0})`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: () => {
        const now = Date.now();
        crashes = crashes.filter((t) => now - t < 3 * 60 * 1000);
        crashes.push(now);
        if (crashes.length > 4) {
          output.error(
            "The server stopped 5 times in 3 minutes: not restarting it. Look above for its errors, then run \"Annalist: Restart Server\".",
          );
          stopReason = "crashed repeatedly";
          setStatus("stopped", stopReason);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        output.warn("The server stopped; restarting it.");
        return { action: CloseAction.Restart, handled: true };
      },
    },
    middleware: {
      // The server also honours these switches; the client checks them too so a
      // switch takes effect at once, even with an older server.
      provideHover: (doc, pos, token, next) => (feature("hover") ? next(doc, pos, token) : null),
      provideCompletionItem: (doc, pos, ctx, token, next) =>
        feature("completion") ? next(doc, pos, ctx, token) : null,
      provideInlayHints: (doc, range, token, next) => (feature("inlayHints") ? next(doc, range, token) : null),
      workspace: {
        // Answer workspace/configuration pulls for our section with the same shape we push.
        configuration: (params, token, next) => {
          const items = params.items;
          if (items.every((i) => i.section === SECTION || i.section?.startsWith(`${SECTION}.`))) {
            return items.map((i) => {
              const scope = i.scopeUri ? vscode.Uri.parse(i.scopeUri) : undefined;
              const all = annalistSettings(scope);
              if (i.section === SECTION) {
                return all;
              }
              return vscode.workspace.getConfiguration(SECTION, scope).get(i.section!.slice(SECTION.length + 1)) ?? null;
            });
          }
          return next(params, token);
        },
      },
    },
  };

  const c = new AnnalistClient("annalist", "Annalist", serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      setStatus("running");
    } else if (e.newState === State.Starting) {
      setStatus("starting");
    } else if (client === c) {
      setStatus("stopped", stopReason);
    }
  });
  setStatus("starting");
  try {
    await c.start();
    output.info(`Server running: ${c.initializeResult?.serverInfo?.name ?? "annalist"} ${c.initializeResult?.serverInfo?.version ?? ""}`);
    await pushSettings();
  } catch (err) {
    output.error(`Could not start ${found.command} lsp: ${err instanceof Error ? err.message : String(err)}`);
    stopReason = "could not start";
    setStatus("stopped", stopReason);
  }
}

/**
 * The language client, minus its forced error pop-ups: vscode-languageclient forces a
 * notification when a start fails ("couldn't create connection to server"), which a
 * server crashing during `initialize` triggers at random. The extension reports those
 * itself: in the output channel, in the status bar, and by giving up after repeated
 * crashes ("crashed repeatedly"), without pop-ups.
 */
class AnnalistClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | "force"): void {
    super.error(message, data, showNotification === "force" ? false : showNotification);
  }
}

async function pushSettings(): Promise<void> {
  if (client?.state !== State.Running) {
    return;
  }
  await client.sendNotification("workspace/didChangeConfiguration", {
    settings: { [SECTION]: annalistSettings() },
  });
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined) {
    try {
      await c.stop(5000);
    } catch (err) {
      output.warn(`Stopping the server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (starting !== undefined) {
    await starting;
  }
  starting = (async () => {
    output.info("Restarting the server");
    await stopClient();
    await startClient(context);
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

export function getClient(): LanguageClient | undefined {
  return client?.state === State.Running ? client : undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<{ getClient: typeof getClient }> {
  output = vscode.window.createOutputChannel("Annalist", { log: true });
  trace = vscode.window.createOutputChannel("Annalist Trace");
  status = vscode.window.createStatusBarItem("annalist.status", vscode.StatusBarAlignment.Right, 100);
  status.name = "Annalist";
  status.command = "annalist.showOutput";
  context.subscriptions.push(output, trace, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("annalist.restartServer", () => restart(context)),
    vscode.commands.registerCommand("annalist.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("annalist.showTimeline", () => TimelinePanel.show(context, getClient, output)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) {
        return;
      }
      // The server path, and semantic tokens (a capability fixed at initialisation), need a restart.
      if (
        e.affectsConfiguration(`${SECTION}.server.path`) ||
        e.affectsConfiguration(`${SECTION}.features.semanticTokens`)
      ) {
        notFoundShown = false;
        await restart(context);
        return;
      }
      await pushSettings();
    }),
  );

  starting = startClient(context);
  await starting;
  starting = undefined;
  return { getClient };
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
