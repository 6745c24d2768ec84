// Drawing the timeline (no VS Code API here, so it is unit-tested with node --test).

/** One event of `annalist/timeline` (the same shape as `annalist timeline --format json`). */
export interface TimelineEvent {
  /** The normalised date (EDTF), e.g. "1949-04-17", "1947/1948". */
  date: string;
  start?: string | null;
  end?: string | null;
  precision?: string | null;
  text?: string | null;
  /** 1-based line of the date. */
  line?: number | null;
  /** The date as written, e.g. "17 April 1949". */
  surface?: string | null;
  inferred_year?: boolean | null;
  actors?: string[] | null;
  notes?: (string | number)[] | null;
}

export interface TimelineResult {
  events: TimelineEvent[];
}

export function esc(s: unknown): string {
  return String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Days since 0000-01-01 (proleptic Gregorian) of an ISO-like date "YYYY[-MM[-DD]]", or undefined. */
export function dayNumber(iso: string | null | undefined): number | undefined {
  if (!iso) {
    return undefined;
  }
  const m = /^(-?\d{1,6})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  if (!m) {
    return undefined;
  }
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : 1;
  const d = m[3] ? Number(m[3]) : 1;
  if (!Number.isFinite(y) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return undefined;
  }
  // Days from civil (Howard Hinnant's algorithm).
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (mo + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe;
}

/** 0-based line to reveal, from the event's 1-based line; "" when unknown. */
function revealLine(e: TimelineEvent): string {
  return typeof e.line === "number" && e.line >= 1 ? String(e.line - 1) : "";
}

function label(e: TimelineEvent): string {
  return e.surface || e.date;
}

/** The HTML body (SVG axis + list) for a set of events. Exported for tests. */
export function renderTimeline(events: TimelineEvent[], title: string): string {
  const placed = events
    .map((e, i) => {
      const s = dayNumber(e.start ?? e.date);
      const en = dayNumber(e.end ?? e.start ?? e.date);
      return { e, i, s, en: en !== undefined && s !== undefined && en >= s ? en : s };
    })
    .filter((p) => p.s !== undefined) as { e: TimelineEvent; i: number; s: number; en: number }[];

  let svg = "";
  if (placed.length > 0) {
    const min = Math.min(...placed.map((p) => p.s));
    const max = Math.max(...placed.map((p) => p.en));
    const span = Math.max(max - min, 30);
    const width = 1000;
    const left = 40;
    const right = 40;
    const x = (d: number) => left + ((d - min) / span) * (width - left - right);
    const rowH = 18;
    // Stagger overlapping labels into rows.
    const rows: number[] = [];
    const rowOf = placed.map((p) => {
      const px = x(p.s);
      let r = rows.findIndex((end) => end < px - 4);
      if (r < 0) {
        r = rows.length;
        rows.push(0);
      }
      rows[r] = px + 90;
      return r;
    });
    const height = 60 + rows.length * rowH;
    const axisY = 30;
    let ticks = "";
    const y0 = Number((placed.find((p) => p.s === min)?.e.start ?? "").slice(0, 4)) || undefined;
    const y1 = Number((placed.find((p) => p.en === max)?.e.end ?? placed.find((p) => p.en === max)?.e.start ?? "").slice(0, 4)) || undefined;
    if (y0 !== undefined && y1 !== undefined && y1 >= y0 && y1 - y0 <= 400) {
      const step = y1 - y0 > 40 ? 10 : y1 - y0 > 10 ? 5 : 1;
      for (let y = Math.ceil(y0 / step) * step; y <= y1 + 1; y += step) {
        const d = dayNumber(`${String(y).padStart(4, "0")}-01-01`);
        if (d === undefined || d < min || d > max) {
          continue;
        }
        ticks += `<line x1="${x(d)}" y1="${axisY - 5}" x2="${x(d)}" y2="${axisY + 5}" class="tick"/><text x="${x(d)}" y="${axisY - 10}" class="year">${y}</text>`;
      }
    }
    const marks = placed
      .map((p, k) => {
        const y = axisY + 16 + rowOf[k] * rowH;
        const x0 = x(p.s);
        const x1 = x(p.en);
        const bar = x1 - x0 >= 2 ? `<rect x="${x0}" y="${axisY - 3}" width="${x1 - x0}" height="6" class="range"/>` : "";
        return `${bar}<g class="event" data-line="${revealLine(p.e)}" tabindex="0"><title>${esc(label(p.e))} (${esc(p.e.date)})${p.e.text ? ` — ${esc(p.e.text)}` : ""}</title><line x1="${x0}" y1="${axisY}" x2="${x0}" y2="${y - 4}" class="stem"/><circle cx="${x0}" cy="${axisY}" r="4" class="dot"/><text x="${x0 + 3}" y="${y + 4}" class="label">${esc(label(p.e))}</text></g>`;
      })
      .join("");
    svg = `<svg id="axis" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Timeline axis"><line x1="${left}" y1="${axisY}" x2="${width - right}" y2="${axisY}" class="axis"/>${ticks}${marks}</svg>`;
  }

  const rows = events
    .map((e) => {
      const actors = (e.actors ?? []).map((a) => `<span class="actor">${esc(a)}</span>`).join(" ");
      const notes = (e.notes ?? []).map((n) => `<span class="note">(${esc(n)})</span>`).join(" ");
      const range = e.start && e.end && e.start !== e.end ? ` (${esc(e.start)} – ${esc(e.end)})` : "";
      const norm = `${esc(e.date)}${range}`;
      const inferred = e.inferred_year ? ` <span class="precision" title="The year is not written: inferred from the context">year inferred</span>` : "";
      return `<li class="event" data-line="${revealLine(e)}" tabindex="0"><div class="when"><span class="date">${esc(label(e))}</span> <span class="norm">${norm}</span>${e.precision ? ` <span class="precision">${esc(e.precision)}</span>` : ""}${inferred}${typeof e.line === "number" ? ` <span class="line">line ${e.line}</span>` : ""}</div><div class="text">${esc(e.text ?? "")}</div><div class="meta">${actors} ${notes}</div></li>`;
    })
    .join("");
  const empty = events.length === 0 ? `<p class="empty">No dated events in this document.</p>` : "";
  return `<h1>${esc(title)}</h1><p class="count">${events.length} event${events.length === 1 ? "" : "s"}</p>${svg}${empty}<ol id="events">${rows}</ol>`;
}

