// "Annalist: Show Timeline": a webview drawing the events of the active Markdown
// document, from the server's `annalist/timeline` request.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { esc, renderTimeline, TimelineResult } from "./render";

const nonceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function nonce(): string {
  let s = "";
  for (let i = 0; i < 32; i++) {
    s += nonceChars.charAt(Math.floor(Math.random() * nonceChars.length));
  }
  return s;
}

export class TimelinePanel {
  private static current: TimelinePanel | undefined;
  private doc: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(
    context: vscode.ExtensionContext,
    getClient: () => LanguageClient | undefined,
    output: vscode.LogOutputChannel,
  ): void {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document.languageId === "markdown" ? editor.document.uri : TimelinePanel.current?.doc;
    if (doc === undefined) {
      void vscode.window.showInformationMessage("Annalist: open a Markdown document to see its timeline.");
      return;
    }
    if (TimelinePanel.current) {
      TimelinePanel.current.doc = doc;
      TimelinePanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      void TimelinePanel.current.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      "annalist.timeline",
      "Annalist Timeline",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [] },
    );
    TimelinePanel.current = new TimelinePanel(panel, doc, getClient, output);
    context.subscriptions.push({ dispose: () => TimelinePanel.current?.dispose() });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    doc: vscode.Uri,
    private readonly getClient: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.doc = doc;
    this.panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.panel.webview.onDidReceiveMessage(
      async (msg: { type?: string; line?: unknown }) => {
        if (msg?.type === "reveal" && typeof msg.line === "number" && this.doc) {
          const d = await vscode.workspace.openTextDocument(this.doc);
          const pos = new vscode.Position(msg.line, 0);
          await vscode.window.showTextDocument(d, {
            viewColumn: vscode.ViewColumn.One,
            selection: new vscode.Range(pos, pos),
          });
        }
      },
      null,
      this.disposables,
    );
    vscode.workspace.onDidChangeTextDocument(
      (e) => {
        if (this.doc && e.document.uri.toString() === this.doc.toString()) {
          this.schedule();
        }
      },
      null,
      this.disposables,
    );
    vscode.window.onDidChangeActiveTextEditor(
      (e) => {
        if (e && e.document.languageId === "markdown" && e.document.uri.toString() !== this.doc?.toString()) {
          this.doc = e.document.uri;
          this.schedule();
        }
      },
      null,
      this.disposables,
    );
    void this.refresh();
  }

  private schedule(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.refresh(), 400);
  }

  private async refresh(): Promise<void> {
    const doc = this.doc;
    if (!doc) {
      return;
    }
    const name = doc.path.split("/").pop() ?? doc.toString();
    this.panel.title = `Timeline: ${name}`;
    const client = this.getClient();
    let body: string;
    if (!client) {
      body = `<h1>${esc(name)}</h1><p class="error">The Annalist server is not running. Run "Annalist: Restart Server" or look at "Annalist: Show Output".</p>`;
    } else {
      try {
        const result = await client.sendRequest<TimelineResult | null>("annalist/timeline", {
          textDocument: { uri: client.code2ProtocolConverter.asUri(doc) },
        });
        body = renderTimeline(Array.isArray(result?.events) ? result!.events : [], name);
      } catch (err) {
        const m = err instanceof Error ? err.message : String(err);
        this.output.error(`annalist/timeline failed: ${m}`);
        body = `<h1>${esc(name)}</h1><p class="error">The server could not build the timeline: ${esc(m)}</p>`;
      }
    }
    this.panel.webview.html = this.page(body);
  }

  private page(body: string): string {
    const n = nonce();
    const csp = `default-src 'none'; style-src ${this.panel.webview.cspSource} 'nonce-${n}'; script-src 'nonce-${n}';`;
    return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Annalist Timeline</title>
<style nonce="${n}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 2em; }
h1 { font-size: 1.2em; margin: .6em 0 .2em; }
.count { opacity: .7; margin: 0 0 .6em; }
svg .axis { stroke: var(--vscode-foreground); stroke-width: 1.5; }
svg .tick { stroke: var(--vscode-foreground); opacity: .6; }
svg .year { fill: var(--vscode-foreground); font-size: 11px; text-anchor: middle; opacity: .8; }
svg .stem { stroke: var(--vscode-textLink-foreground); opacity: .5; }
svg .dot { fill: var(--vscode-textLink-foreground); }
svg .range { fill: var(--vscode-textLink-foreground); opacity: .35; }
svg .label { fill: var(--vscode-foreground); font-size: 11px; }
svg .event { cursor: pointer; }
ol { list-style: none; padding: 0; }
li.event { border-left: 3px solid var(--vscode-textLink-foreground); padding: .3em .7em; margin: .5em 0; cursor: pointer; }
li.event:hover, li.event:focus { background: var(--vscode-list-hoverBackground); outline: none; }
.date { font-weight: bold; }
.norm, .precision, .line { opacity: .75; font-family: var(--vscode-editor-font-family); font-size: .9em; }
.actor { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); border-radius: 3px; padding: 0 .35em; font-size: .85em; }
.note { opacity: .8; font-size: .85em; }
.text { margin: .15em 0; }
.error { color: var(--vscode-errorForeground); }
</style></head><body>${body}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
for (const el of document.querySelectorAll('.event')) {
  const go = () => { const l = Number(el.getAttribute('data-line')); if (el.getAttribute('data-line') !== '' && Number.isFinite(l)) vscode.postMessage({ type: 'reveal', line: l }); };
  el.addEventListener('click', go);
  el.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
}
</script></body></html>`;
  }

  dispose(): void {
    TimelinePanel.current = undefined;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
    this.panel.dispose();
  }
}
