-- Annalist helpers for Neovim 0.11+: restart, timeline, info, log.
-- The server itself is configured by lsp/annalist.lua (vim.lsp.config) and enabled
-- with vim.lsp.enable("annalist"), or with require("annalist").setup({...}).

local M = {}

M.name = "annalist"

local function notify(msg, level)
  vim.notify("Annalist: " .. msg, level or vim.log.levels.INFO)
end

--- Annalist clients, optionally only those attached to `bufnr`.
---@param bufnr integer?
---@return vim.lsp.Client[]
function M.clients(bufnr)
  return vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
end

--- Convenience: merge `opts` into the "annalist" config and enable it.
---@param opts vim.lsp.Config?
function M.setup(opts)
  if opts and next(opts) then
    vim.lsp.config(M.name, opts)
  end
  vim.lsp.enable(M.name)
end

--- Stop every Annalist client and start it again on the buffers it served.
---@param timeout_ms integer?
function M.restart(timeout_ms)
  local clients = M.clients()
  if #clients == 0 then
    -- Nothing running: (re)enable, which attaches to the open Markdown buffers.
    vim.lsp.enable(M.name)
    local buf = vim.api.nvim_get_current_buf()
    if vim.bo[buf].filetype == "markdown" and #M.clients(buf) == 0 then
      vim.api.nvim_exec_autocmds("FileType", { buffer = buf, modeline = false })
    end
    notify("no server was running; started it for the Markdown buffers")
    return
  end
  local restarts = {}
  for _, client in ipairs(clients) do
    local bufs = vim.tbl_keys(client.attached_buffers)
    table.insert(restarts, { client = client, config = client.config, bufs = bufs })
    client:stop()
  end
  local ok = vim.wait(timeout_ms or 3000, function()
    for _, r in ipairs(restarts) do
      if not r.client:is_stopped() then
        return false
      end
    end
    return true
  end, 20)
  if not ok then
    for _, r in ipairs(restarts) do
      if not r.client:is_stopped() then
        r.client:stop(true)
      end
    end
  end
  local started = 0
  for _, r in ipairs(restarts) do
    for _, buf in ipairs(r.bufs) do
      if vim.api.nvim_buf_is_valid(buf) then
        if vim.lsp.start(r.config, { bufnr = buf }) then
          started = started + 1
        end
      end
    end
  end
  notify(("restarted (%d buffer%s)"):format(started, started == 1 and "" or "s"))
end

--- The `annalist/timeline` result for `bufnr`, synchronously.
---@param bufnr integer?
---@param timeout_ms integer?
---@return table? events, string? err
function M.timeline_events(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.clients(bufnr)[1]
  if not client then
    return nil, "no Annalist server attached to this buffer (is it Markdown? see :checkhealth annalist)"
  end
  local resp, err = client:request_sync(
    "annalist/timeline",
    { textDocument = { uri = vim.uri_from_bufnr(bufnr) } },
    timeout_ms or 5000,
    bufnr
  )
  if not resp then
    return nil, "timeline request failed: " .. tostring(err)
  end
  if resp.err then
    return nil, "the server could not build the timeline: " .. tostring(resp.err.message or resp.err)
  end
  local result = resp.result
  if type(result) ~= "table" or type(result.events) ~= "table" then
    return {}, nil
  end
  return result.events, nil
end

local function str(v)
  if v == nil or v == vim.NIL then
    return ""
  end
  return tostring(v)
end

--- Lines of the timeline view and, per line, the source line (0-based) to jump to.
--- Events are `annalist/timeline`'s: date (EDTF), surface (as written), start, end,
--- precision, text, line (1-based), actors, notes, inferred_year.
---@param events table[]
---@param title string
---@return string[] lines, table<integer, integer> targets
function M.format_timeline(events, title)
  local lines = {
    ("Timeline of %s — %d event%s   (<CR> jumps to the text, q closes)"):format(
      title,
      #events,
      #events == 1 and "" or "s"
    ),
    "",
  }
  local targets = {}
  local widest_date = 4
  local function written(e)
    local w = str(e.surface)
    return w ~= "" and w or str(e.date)
  end
  for _, e in ipairs(events) do
    widest_date = math.max(widest_date, vim.fn.strdisplaywidth(written(e)))
  end
  widest_date = math.min(widest_date, 28)
  local last_year
  for _, e in ipairs(events) do
    local start = str(e.start)
    -- `date` is the normalised (EDTF) value; `surface` the date as written.
    local norm = str(e.date) ~= "" and str(e.date) or start
    local year = start:match("^(-?%d%d%d%d)")
    if year and year ~= last_year then
      if last_year then
        table.insert(lines, "")
      end
      table.insert(lines, year)
      last_year = year
    end
    local meta = {}
    if type(e.actors) == "table" and #e.actors > 0 then
      table.insert(meta, "[" .. table.concat(vim.tbl_map(str, e.actors), ", ") .. "]")
    end
    if type(e.notes) == "table" and #e.notes > 0 then
      table.insert(meta, "(" .. table.concat(vim.tbl_map(str, e.notes), ", ") .. ")")
    end
    local date = written(e)
    if e.inferred_year == true then
      table.insert(meta, "year inferred")
    end
    local pad = string.rep(" ", math.max(0, widest_date - vim.fn.strdisplaywidth(date)))
    local text = str(e.text):gsub("%s+", " ")
    local line = ("  %-21s %s%s  %s%s"):format(
      norm,
      date,
      pad,
      text,
      #meta > 0 and ("  " .. table.concat(meta, " ")) or ""
    )
    table.insert(lines, (line:gsub("%s+$", "")))
    if type(e.line) == "number" and e.line >= 1 then
      targets[#lines] = e.line - 1 -- 1-based in the result, 0-based here
    end
  end
  if #events == 0 then
    table.insert(lines, "No dated events in this document.")
  end
  return lines, targets
end

--- Show the current buffer's timeline in a split; <CR> on an event jumps to its line.
---@param bufnr integer?
function M.timeline(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local events, err = M.timeline_events(bufnr)
  if not events then
    notify(err or "no timeline", vim.log.levels.ERROR)
    return
  end
  local src_win = vim.api.nvim_get_current_win()
  local title = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  local lines, targets = M.format_timeline(events, title ~= "" and title or "[No Name]")
  local name = "annalist://timeline/" .. bufnr
  local existing = vim.fn.bufnr(name)
  local tbuf
  if existing > 0 and vim.api.nvim_buf_is_valid(existing) then
    tbuf = existing
    local win = vim.fn.bufwinid(tbuf)
    if win > 0 then
      vim.api.nvim_set_current_win(win)
    else
      vim.cmd("botright split")
      vim.api.nvim_win_set_buf(0, tbuf)
    end
  else
    vim.cmd("botright new")
    tbuf = vim.api.nvim_get_current_buf()
    vim.api.nvim_buf_set_name(tbuf, name)
    vim.bo[tbuf].buftype = "nofile"
    vim.bo[tbuf].bufhidden = "wipe"
    vim.bo[tbuf].swapfile = false
    vim.bo[tbuf].filetype = "annalist-timeline"
  end
  vim.bo[tbuf].modifiable = true
  vim.api.nvim_buf_set_lines(tbuf, 0, -1, false, lines)
  vim.bo[tbuf].modifiable = false
  vim.b[tbuf].annalist_timeline = { source = bufnr, targets = targets }
  vim.api.nvim_win_set_height(0, math.min(#lines + 1, math.max(8, math.floor(vim.o.lines / 3))))
  vim.wo.wrap = false
  vim.wo.cursorline = true
  local function jump()
    local t = vim.b[tbuf].annalist_timeline
    local target = t and t.targets[vim.api.nvim_win_get_cursor(0)[1]]
    if not target then
      return
    end
    local win = vim.api.nvim_win_is_valid(src_win) and vim.api.nvim_win_get_buf(src_win) == t.source and src_win
      or vim.fn.bufwinid(t.source)
    if win == -1 or not win then
      vim.cmd("wincmd p")
      vim.api.nvim_win_set_buf(0, t.source)
      win = vim.api.nvim_get_current_win()
    end
    vim.api.nvim_set_current_win(win)
    local last = vim.api.nvim_buf_line_count(t.source)
    vim.api.nvim_win_set_cursor(win, { math.min(target + 1, last), 0 })
    vim.cmd("normal! zz")
  end
  vim.keymap.set("n", "<CR>", jump, { buffer = tbuf, desc = "Annalist: jump to the event" })
  vim.keymap.set("n", "q", "<cmd>close<CR>", { buffer = tbuf, desc = "Annalist: close the timeline" })
  -- Highlight the year headers and normalised dates.
  vim.api.nvim_buf_call(tbuf, function()
    vim.cmd([[syntax match AnnalistTimelineYear /^-\?\d\{4}$/]])
    vim.cmd([[syntax match AnnalistTimelineDate /^  \S\+/]])
    vim.cmd([[syntax match AnnalistTimelineTitle /\%1l.*/]])
    vim.cmd([[highlight default link AnnalistTimelineYear Title]])
    vim.cmd([[highlight default link AnnalistTimelineDate Number]])
    vim.cmd([[highlight default link AnnalistTimelineTitle Comment]])
  end)
  return tbuf
end

--- Lines describing the Annalist clients (for :Annalist info).
---@return string[]
function M.info_lines()
  local lines = {}
  local clients = M.clients()
  if #clients == 0 then
    table.insert(lines, "No Annalist server is running.")
    local cfg = vim.lsp.config[M.name]
    if cfg and cfg.cmd and type(cfg.cmd) == "table" then
      local exe = cfg.cmd[1]
      table.insert(
        lines,
        ("Configured command: %s (%s)"):format(
          table.concat(cfg.cmd, " "),
          vim.fn.executable(exe) == 1 and vim.fn.exepath(exe) or "NOT FOUND on PATH"
        )
      )
    else
      table.insert(lines, "No 'annalist' configuration: is editors/nvim on 'runtimepath'?")
    end
    table.insert(lines, 'Enable it with vim.lsp.enable("annalist"); see :checkhealth annalist.')
  end
  for _, c in ipairs(clients) do
    local info = c.server_info or {}
    table.insert(lines, ("Client %d: %s %s"):format(c.id, info.name or c.name, info.version or ""))
    local cmd = c.config.cmd
    table.insert(lines, "  command:  " .. (type(cmd) == "table" and table.concat(cmd, " ") or "<function>"))
    table.insert(lines, "  root:     " .. tostring(c.root_dir or c.config.root_dir))
    table.insert(lines, "  encoding: " .. tostring(c.offset_encoding))
    local bufs = {}
    for b in pairs(c.attached_buffers) do
      table.insert(bufs, ("%d:%s"):format(b, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(b), ":~:.")))
    end
    table.insert(lines, "  buffers:  " .. table.concat(bufs, ", "))
    table.insert(lines, "  settings: " .. vim.json.encode(c.settings or c.config.settings or {}))
    table.insert(lines, "  state:    " .. (c:is_stopped() and "stopped" or "running"))
  end
  table.insert(lines, "Log: " .. vim.lsp.log.get_filename() .. "  (:Annalist log)")
  return lines
end

function M.info()
  vim.api.nvim_echo(
    vim.tbl_map(function(l)
      return { l .. "\n" }
    end, M.info_lines()),
    true,
    {}
  )
end

--- Open the LSP log (where server errors and stderr go) in a split, at its end.
function M.log()
  local path = vim.lsp.log.get_filename()
  if vim.fn.filereadable(path) == 0 then
    notify("no LSP log yet at " .. path)
    return
  end
  vim.cmd("botright split " .. vim.fn.fnameescape(path))
  vim.bo.readonly = true
  vim.cmd("normal! G")
end

M.commands = {
  restart = function()
    M.restart()
  end,
  timeline = function()
    M.timeline()
  end,
  info = function()
    M.info()
  end,
  log = function()
    M.log()
  end,
}

return M
