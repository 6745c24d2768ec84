-- End-to-end test of the Annalist language server in real Neovim (0.11+), headless,
-- using the repository's own editors/nvim (lsp/annalist.lua + plugin) as a user would.
--
--   nvim --headless -u NONE -l tests/e2e/nvim/e2e.lua REPO_ROOT DOCUMENT.md
--
-- `annalist` must be on PATH (lsp/annalist.lua runs {"annalist", "lsp"}).
-- Prints one line per check; exits 1 with the reason (and the LSP log's tail) on failure.

local repo, file = arg[1], arg[2]
if not repo or not file then
  io.stderr:write("usage: nvim --headless -u NONE -l e2e.lua REPO_ROOT DOCUMENT.md\n")
  os.exit(2)
end

local TIMEOUT = tonumber(os.getenv("ANNALIST_E2E_TIMEOUT_MS") or "") or 15000
local passed, failed, t0 = 0, {}, vim.uv.hrtime()

local function say(s)
  io.stderr:write(s .. "\n")
end

local function dump_log()
  local path = vim.lsp.log.get_filename()
  local f = io.open(path, "r")
  if not f then
    say("(no LSP log at " .. path .. ")")
    return
  end
  local text = f:read("*a")
  f:close()
  say("---- last lines of " .. path .. " ----")
  say(text:sub(-4000))
end

local function finish()
  if #failed > 0 then
    dump_log()
    say("failed checks:")
    for _, f in ipairs(failed) do
      say("  - " .. f)
    end
  end
  say(("neovim suite: %.1f s"):format((vim.uv.hrtime() - t0) / 1e9))
  say(("nvim: %d passed, %d failed"):format(passed, #failed))
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  vim.wait(2000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  os.exit(#failed > 0 and 1 or 0)
end

--- Run one check; a failure is reported and the next checks still run, unless `fatal`.
local function check(name, fn, fatal)
  local start = vim.uv.hrtime()
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    local first = tostring(err):gsub("\nstack traceback:.*", "")
    say(("FAIL %d - %s: %s"):format(passed + #failed + 1, name, first))
    table.insert(failed, name)
    if fatal then
      finish()
    end
    return
  end
  passed = passed + 1
  say(("ok %d - %s (%.0f ms)"):format(passed + #failed, name, (vim.uv.hrtime() - start) / 1e6))
end

local function wait_for(what, cond, ms)
  local ok = vim.wait(ms or TIMEOUT, cond, 20)
  if not ok then
    error("timed out after " .. (ms or TIMEOUT) .. " ms waiting for " .. what, 2)
  end
end

-- What a user does: the repo's editors/nvim on 'runtimepath', then enable the config.
vim.opt.runtimepath:prepend(repo .. "/editors/nvim")
vim.cmd("runtime! plugin/annalist.lua")
vim.cmd("filetype on")
vim.lsp.enable("annalist")
vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client ---@type vim.lsp.Client

local function lines()
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

--- 0-based line and byte column of the first `needle` (plain) at or after line `from`.
local function find(needle, from)
  for i, l in ipairs(lines()) do
    if i - 1 >= (from or 0) then
      local c = l:find(needle, 1, true)
      if c then
        return i - 1, c - 1
      end
    end
  end
  error("text not found in the document: " .. needle, 2)
end

local function pos_params(row, col)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function request(method, params, bufnr)
  local resp, err = client:request_sync(method, params, TIMEOUT, bufnr or buf)
  if not resp then
    error(method .. ": no response (" .. tostring(err) .. ")", 2)
  end
  if resp.err then
    error(method .. ": server error " .. vim.inspect(resp.err), 2)
  end
  return resp.result
end

local function hover_text(result)
  if not result or result == vim.NIL then
    return ""
  end
  local c = result.contents
  if type(c) == "string" then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, p in ipairs(c) do
    table.insert(parts, type(p) == "string" and p or p.value or "")
  end
  return table.concat(parts, "\n")
end

local function diags()
  return vim.diagnostic.get(buf)
end

local function describe(ds)
  local out = {}
  for _, d in ipairs(ds) do
    table.insert(out, ("  L%d:%d [%s] %s"):format(d.lnum + 1, d.col + 1, tostring(d.code), d.message))
  end
  return table.concat(out, "\n")
end

check("the server attaches to the Markdown buffer", function()
  if vim.bo[buf].filetype ~= "markdown" then
    error("filetype is '" .. vim.bo[buf].filetype .. "', not markdown")
  end
  wait_for("an 'annalist' client on the buffer", function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = "annalist" })[1]
    if c and c.initialized then
      client = c
      return true
    end
    return false
  end)
  local info = client.server_info or {}
  say(("   server: %s %s, encoding %s, root %s"):format(
    info.name or "?",
    info.version or "?",
    client.offset_encoding,
    tostring(client.root_dir)
  ))
end, true)

check("diagnostics are published for the document", function()
  wait_for("diagnostics", function()
    return #diags() > 0
  end)
  -- Let the first wave settle.
  vim.wait(300)
  local ds = diags()
  say(("   %d diagnostics:\n%s"):format(#ds, describe(ds)))
  for _, d in ipairs(ds) do
    if d.source ~= "annalist" and d.source ~= nil then
      error("diagnostic with unexpected source " .. tostring(d.source))
    end
  end
end)

check('hover on the date "17 April 1949" shows 1949-04-17', function()
  local row, col = find("17 April 1949")
  local text = hover_text(request("textDocument/hover", pos_params(row, col + 3)))
  if not text:find("1949-04-17", 1, true) then
    error("hover text does not contain 1949-04-17:\n" .. text)
  end
end)

check('go to definition on the marker "(2)" lands on note 2 under Notes', function()
  local notes_heading = find("## Notes")
  local target_row = find("2. ", notes_heading)
  local row, col = find("important.\" (2)")
  col = col + #'important." ' + 1 -- on the "2"
  local params = pos_params(row, col)
  local result = request("textDocument/definition", params)
  if not result or result == vim.NIL then
    error("no definition for (2)")
  end
  local loc = result.uri and result or result[1]
  local range = loc.targetSelectionRange or loc.range
  if not range then
    error("definition without a range: " .. vim.inspect(result))
  end
  if range.start.line ~= target_row then
    error(("definition is on line %d, expected the Notes entry on line %d"):format(
      range.start.line + 1,
      target_row + 1
    ))
  end
  -- And the user-facing command moves the cursor there.
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  vim.lsp.buf.definition()
  wait_for("the cursor to move to the note", function()
    return vim.api.nvim_win_get_cursor(0)[1] == target_row + 1
  end)
end)

check("document symbols include the headings", function()
  local result = request("textDocument/documentSymbol", { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  local names = {}
  local function walk(list)
    for _, s in ipairs(list or {}) do
      table.insert(names, s.name)
      walk(s.children)
    end
  end
  walk(result)
  local all = table.concat(names, " | ")
  if not all:find("Notes", 1, true) then
    error("no 'Notes' symbol in: " .. all)
  end
end)

check("a quick fix removes its diagnostic", function()
  -- Prefer the romanisation fix on "Kim II Sung"; else any diagnostic with a fix.
  local ds = diags()
  table.sort(ds, function(a, b)
    local pa = a.code == "romanisation-ocr" and 0 or 1
    local pb = b.code == "romanisation-ocr" and 0 or 1
    if pa ~= pb then
      return pa < pb
    end
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  local chosen, action
  for _, d in ipairs(ds) do
    local lsp_d = d.user_data and d.user_data.lsp
    if lsp_d then
      local result = request("textDocument/codeAction", {
        textDocument = { uri = vim.uri_from_bufnr(buf) },
        range = lsp_d.range,
        context = { diagnostics = { lsp_d }, only = { "quickfix" }, triggerKind = 1 },
      })
      for _, a in ipairs(result or {}) do
        if a.edit then
          chosen, action = d, a
          break
        end
      end
    end
    if action then
      break
    end
  end
  if not action then
    error("no diagnostic offers a quick fix with an edit; diagnostics:\n" .. describe(ds))
  end
  say(("   applying %q for [%s] on line %d"):format(action.title, tostring(chosen.code), chosen.lnum + 1))
  local before = lines()[chosen.lnum + 1]
  local same = function(d)
    return d.code == chosen.code and d.lnum == chosen.lnum and d.col == chosen.col and d.message == chosen.message
  end
  -- Apply it the way a user does (gra / vim.lsp.buf.code_action), picking this action.
  vim.api.nvim_win_set_cursor(0, { chosen.lnum + 1, chosen.col })
  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { "quickfix" }, diagnostics = { chosen.user_data.lsp } },
    filter = function(a)
      return a.title == action.title
    end,
  })
  wait_for("the fix to change line " .. (chosen.lnum + 1), function()
    return lines()[chosen.lnum + 1] ~= before
  end)
  local after = lines()[chosen.lnum + 1]
  if after == before then
    error("the fix did not change line " .. (chosen.lnum + 1))
  end
  if chosen.code == "romanisation-ocr" and not after:find("Kim Il Sung", 1, true) then
    error("the romanisation fix did not write 'Kim Il Sung':\n" .. after)
  end
  wait_for("the fixed diagnostic to disappear", function()
    for _, d in ipairs(diags()) do
      if same(d) then
        return false
      end
    end
    return true
  end)
end)

check("an edit brings new diagnostics, undoing it takes them away", function()
  -- Insert a copy of a paragraph that has diagnostics, right after it.
  wait_for("diagnostics after the fix", function()
    return #diags() > 0
  end)
  -- A diagnostic in a prose paragraph (the Notes list or the front matter would change meaning).
  local d = diags()[1]
  for _, x in ipairs(diags()) do
    local l = lines()[x.lnum + 1] or ""
    if l:find("Kim II Sung", 1, true) or l:find("5 March 194,", 1, true) then
      d = x
      break
    end
  end
  local src = lines()[d.lnum + 1]
  local count = #diags()
  local at = d.lnum + 1
  vim.api.nvim_buf_set_lines(buf, at, at, false, { "", src })
  local new_row = at + 1
  wait_for("a diagnostic on the inserted line " .. (new_row + 1), function()
    for _, x in ipairs(diags()) do
      if x.lnum == new_row then
        return true
      end
    end
    return false
  end)
  if #diags() <= count then
    error(("expected more than %d diagnostics after the insertion, got %d"):format(count, #diags()))
  end
  vim.api.nvim_buf_set_lines(buf, at, at + 2, false, {})
  wait_for("the diagnostics count to come back to " .. count, function()
    return #diags() == count
  end)
end)

check("settings reach the server: annalist.rules turns a rule off, then on", function()
  wait_for("diagnostics", function()
    return #diags() > 0
  end)
  local code = diags()[1].code
  local function count()
    local n = 0
    for _, d in ipairs(diags()) do
      if d.code == code then
        n = n + 1
      end
    end
    return n
  end
  local before = count()
  -- What a user does at run time: change the client's settings and notify the server.
  client.settings = vim.tbl_deep_extend("force", client.settings or {}, { annalist = { rules = { [code] = "off" } } })
  client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  wait_for(("%s diagnostics to go away with rules.%s = off"):format(code, code), function()
    return count() == 0
  end)
  client.settings.annalist.rules[code] = nil
  client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  wait_for(("%d %s diagnostics to come back"):format(before, code), function()
    return count() == before
  end)
end)

check("completion after [^ offers the footnote labels defined in the document", function()
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "", "[^archive]: APRF, fond 45, opis 1.", "", "A new claim.[^" })
  local row = last + 3
  -- Right after "[^" (the cursor cannot stand past the end of a line in Normal mode: build it).
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = row, character = #"A new claim.[^" },
  }
  params.context = { triggerKind = 2, triggerCharacter = "^" }
  local result = request("textDocument/completion", params)
  local items = result and (result.items or result) or {}
  vim.api.nvim_buf_set_lines(buf, last, -1, false, {})
  local labels = {}
  for _, it in ipairs(items) do
    table.insert(labels, it.label)
    if tostring(it.label):find("archive", 1, true) then
      return
    end
  end
  error("no completion 'archive' after [^; items: " .. table.concat(labels, ", "))
end)

check(":Annalist timeline opens a split with the document's dated events", function()
  local src_win = vim.api.nvim_get_current_win()
  vim.cmd("Annalist timeline")
  local tbuf = vim.api.nvim_get_current_buf()
  if tbuf == buf then
    error("no timeline window opened")
  end
  local tl = vim.api.nvim_buf_get_lines(tbuf, 0, -1, false)
  local text = table.concat(tl, "\n")
  if not text:find("1949-04-17", 1, true) then
    error("the timeline does not list 1949-04-17:\n" .. text)
  end
  -- <CR> on that event jumps to its line in the document.
  for i, l in ipairs(tl) do
    if l:find("1949-04-17", 1, true) then
      vim.api.nvim_win_set_cursor(0, { i, 0 })
      break
    end
  end
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  local row = find("17 April 1949")
  if vim.api.nvim_get_current_buf() ~= buf or vim.api.nvim_win_get_cursor(0)[1] ~= row + 1 then
    error(("<CR> did not jump to line %d (now buffer %d line %d)"):format(
      row + 1,
      vim.api.nvim_get_current_buf(),
      vim.api.nvim_win_get_cursor(0)[1]
    ))
  end
  vim.api.nvim_win_close(vim.fn.bufwinid(tbuf), true)
  vim.api.nvim_set_current_win(src_win)
end)

check(":checkhealth annalist reports no error", function()
  vim.cmd("checkhealth annalist")
  local hl = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  local text = table.concat(hl, "\n")
  if text:find("ERROR", 1, true) or not text:find("OK", 1, true) then
    error("checkhealth output:\n" .. text)
  end
  vim.cmd("bwipeout!")
  vim.cmd.buffer(buf)
end)

-- Restart the server with :Annalist restart and wait for the new client.
local function restart()
  local old = client.id
  vim.cmd("Annalist restart")
  wait_for("a new client", function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = "annalist" })[1]
    if c and c.id ~= old and c.initialized then
      client = c
      return true
    end
    return false
  end)
end

check(":Annalist restart starts a new server that publishes again", function()
  restart()
  wait_for("diagnostics from the new server", function()
    for _, pull in ipairs({ false, true }) do
      local ok, ns = pcall(vim.lsp.diagnostic.get_namespace, client.id, pull)
      if ok and ns and #vim.diagnostic.get(buf, { namespace = ns }) > 0 then
        return true
      end
    end
    return false
  end)
  local info = table.concat(require("annalist").info_lines(), "\n")
  if not info:find("Client " .. client.id, 1, true) then
    error(":Annalist info does not show the new client:\n" .. info)
  end
end)

check("a name spelt differently in another workspace file is reported, with the other file", function()
  -- A second chapter on disk that writes Seoul where the transcription writes Sŏul
  -- (three times there): written four times here, it is the workspace's majority.
  local dir = vim.fs.dirname(vim.api.nvim_buf_get_name(buf))
  local other = dir .. "/chapter-two.md"
  local f = assert(io.open(other, "w"))
  f:write("# Chapter two\n\nSeoul, Seoul, Seoul and Seoul again.\n")
  f:close()
  -- A new server indexes the workspace as it is now.
  restart()
  local found
  wait_for("a cross-file romanisation diagnostic", function()
    for _, d in ipairs(diags()) do
      if d.code == "romanisation-inconsistent" and d.message:find("across the workspace", 1, true) then
        found = d
        return true
      end
    end
    return false
  end)
  os.remove(other)
  say("   " .. found.message)
  local rel = (((found.user_data or {}).lsp or {}).relatedInformation) or {}
  local points_there = false
  for _, r in ipairs(rel) do
    if r.location and r.location.uri:find("chapter%-two%.md$") then
      points_there = true
    end
  end
  if not points_there then
    error("related information does not point into chapter-two.md: " .. vim.inspect(rel))
  end
end)


-- ---- Citations: the fixture pair citations/article.md + citations/article.bib ----
-- The article declares `bibliography: article.bib` in its front matter.

local cbuf, bib_path

local function cfind(needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(cbuf, 0, -1, false)) do
    local c = l:find(needle, 1, true)
    if c then
      return i - 1, c - 1
    end
  end
  error("text not found in the article: " .. needle, 2)
end

local function cparams(row, col)
  return { textDocument = { uri = vim.uri_from_bufnr(cbuf) }, position = { line = row, character = col } }
end

--- The article's diagnostics, pulled (answered at once with its own findings; those across
--- files may come later, after a workspace/diagnostic/refresh; the article may have none).
local function pulled()
  local r = request("textDocument/diagnostic", { textDocument = { uri = vim.uri_from_bufnr(cbuf) } }, cbuf)
  return (r and r.items) or {}
end

local function describe_lsp(ds)
  local out = {}
  for _, d in ipairs(ds) do
    table.insert(out, ("  L%d [%s] %s"):format(d.range.start.line + 1, tostring(d.code), d.message))
  end
  return table.concat(out, "\n")
end

check("citations: the article opens on the same server", function()
  local dir = vim.fs.dirname(vim.api.nvim_buf_get_name(buf))
  bib_path = dir .. "/citations/article.bib"
  vim.cmd.edit(vim.fn.fnameescape(dir .. "/citations/article.md"))
  cbuf = vim.api.nvim_get_current_buf()
  wait_for("the annalist client on the article", function()
    local c = vim.lsp.get_clients({ bufnr = cbuf, name = "annalist" })[1]
    return c ~= nil and c.id == client.id
  end)
end, true)

check("citations: the issue's two cited sentences raise no unsourced-claim; e-mail, code and URL no citation finding", function()
  local ds = pulled()
  say(("   %d diagnostics on the article%s"):format(#ds, #ds > 0 and (":\n" .. describe_lsp(ds)) or ""))
  local stalin = cfind('"The army of the South is weak" [@bajanov1995, 3].')
  local shtykov = cfind('"is very excited" [see @weathersby1993].')
  local near = cfind("historian@example.org")
  for _, d in ipairs(ds) do
    local l, code = d.range.start.line, tostring(d.code)
    if code == "unsourced-claim" and (l == stalin or l == shtykov) then
      error("unsourced-claim on a cited sentence: " .. describe_lsp({ d }))
    end
    if code:find("^citation") or code == "bibliography-problem" then
      error("citation finding on the clean article: " .. describe_lsp({ d }))
    end
    if l == near or l == near + 1 then
      error("finding on the near-miss lines (e-mail, code, URL): " .. describe_lsp({ d }))
    end
  end
end)

check("citations: hover on [@bajanov1995, 3] shows the formatted reference", function()
  local row, col = cfind("@bajanov1995, 3]")
  vim.api.nvim_win_set_cursor(0, { row + 1, col + 3 })
  local text = hover_text(request("textDocument/hover", vim.lsp.util.make_position_params(0, client.offset_encoding), cbuf))
  for _, want in ipairs({ "Bajanov", "The Origins of the Korean War", "1995" }) do
    if not text:find(want, 1, true) then
      error(("hover does not contain %q:\n%s"):format(want, text))
    end
  end
  say("   " .. text:gsub("\n", " "):sub(1, 200))
end)

check("citations: go to definition on @weathersby1993 opens article.bib at its entry", function()
  local entry_row
  for i, l in ipairs(vim.fn.readfile(bib_path)) do
    if l:find("{weathersby1993,", 1, true) then
      entry_row = i - 1
      break
    end
  end
  assert(entry_row, "no weathersby1993 entry in " .. bib_path)
  local row, col = cfind("@weathersby1993 had")
  local result = request("textDocument/definition", cparams(row, col + 2), cbuf)
  if not result or result == vim.NIL then
    error("no definition for @weathersby1993")
  end
  local loc = result.uri and result or result[1]
  local uri = loc.targetUri or loc.uri
  local range = loc.targetSelectionRange or loc.range
  if not uri:find("citations/article%.bib$") then
    error("definition is in " .. uri .. ", not citations/article.bib")
  end
  if range.start.line ~= entry_row then
    error(("definition is on line %d of the .bib, the entry is on line %d"):format(range.start.line + 1, entry_row + 1))
  end
  -- As a user: the command opens the .bib with the cursor on the entry.
  vim.api.nvim_win_set_cursor(0, { row + 1, col + 2 })
  vim.lsp.buf.definition()
  wait_for("article.bib to open at line " .. (entry_row + 1), function()
    return vim.api.nvim_buf_get_name(0):find("article%.bib$") ~= nil
      and vim.api.nvim_win_get_cursor(0)[1] == entry_row + 1
  end)
  vim.cmd.buffer(cbuf)
end)

check("citations: completion after @ offers the bibliography's keys with author and year", function()
  local last = vim.api.nvim_buf_line_count(cbuf)
  vim.api.nvim_buf_set_lines(cbuf, last, last, false, { "", "See [@" })
  local ok, result = pcall(request, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(cbuf) },
    position = { line = last + 1, character = #"See [@" },
    context = { triggerKind = 2, triggerCharacter = "@" },
  }, cbuf)
  vim.api.nvim_buf_set_lines(cbuf, last, -1, false, {})
  if not ok then
    error(result)
  end
  local items = result and (result.items or result) or {}
  local labels, detail = {}, {}
  for _, it in ipairs(items) do
    labels[it.label] = true
    detail[it.label] = it.detail
  end
  for _, k in ipairs({ "bajanov1995", "weathersby1993", "goncharov1993", "cumings1981", "cumings1990" }) do
    if not labels[k] then
      error("no completion " .. k .. " after @; items: " .. table.concat(vim.tbl_keys(labels), ", "))
    end
  end
  if not tostring(detail.weathersby1993):find("Weathersby", 1, true) then
    error("weathersby1993's detail does not name the author: " .. tostring(detail.weathersby1993))
  end
end)

check("citations: an undefined key is reported (did you mean), a quoted handle is not; both go with the edit", function()
  local last = vim.api.nvim_buf_line_count(cbuf)
  vim.api.nvim_buf_set_lines(cbuf, last, last, false, {
    "",
    "A typo [@bajanov1959] in a new paragraph.",
    "",
    'The embassy posted: "follow @usembassyseoul for updates".',
  })
  local typo, handle = last + 1, last + 3
  local function on(line, prefix)
    for _, d in ipairs(vim.diagnostic.get(cbuf)) do
      if d.lnum == line and tostring(d.code):find(prefix, 1, true) == 1 then
        return d
      end
    end
  end
  local found
  wait_for("citation-undefined on line " .. (typo + 1), function()
    found = on(typo, "citation-undefined")
    return found ~= nil
  end)
  say("   " .. found.message)
  if not found.message:find("bajanov1995", 1, true) then
    error("no did-you-mean bajanov1995 in: " .. found.message)
  end
  local bad = on(handle, "citation")
  if bad then
    error("the quoted handle is reported: [" .. tostring(bad.code) .. "] " .. bad.message)
  end
  vim.api.nvim_buf_set_lines(cbuf, last, -1, false, {})
  wait_for("citation-undefined to go when the line is removed", function()
    for _, d in ipairs(vim.diagnostic.get(cbuf)) do
      if d.code == "citation-undefined" then
        return false
      end
    end
    return true
  end)
  vim.cmd.buffer(buf)
end)

finish()
