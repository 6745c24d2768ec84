-- :checkhealth annalist

local M = {}

function M.check()
  local h = vim.health
  h.start("Neovim")
  if vim.fn.has("nvim-0.11") == 1 then
    h.ok("Neovim " .. tostring(vim.version()))
  else
    h.error(
      "Neovim " .. tostring(vim.version()) .. " is too old: lsp/annalist.lua needs 0.11+ (vim.lsp.config)",
      { "Upgrade Neovim, or use nvim-lspconfig's manual setup from editors/nvim/README.md" }
    )
    return
  end

  h.start("Configuration")
  local cfg = vim.lsp.config["annalist"]
  if not cfg then
    h.error("no 'annalist' LSP configuration found", {
      "Put editors/nvim on 'runtimepath' (a plugin manager does it), or copy lsp/annalist.lua into ~/.config/nvim/lsp/",
    })
    return
  end
  h.ok("vim.lsp.config.annalist found")
  local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled("annalist")
  if enabled == nil and vim.lsp._enabled_configs then
    enabled = vim.lsp._enabled_configs["annalist"] ~= nil
  end
  if enabled == true then
    h.ok("enabled (vim.lsp.enable)")
  elseif enabled == false then
    h.warn("not enabled", { 'Add vim.lsp.enable("annalist") to your init.lua' })
  end
  h.info("filetypes: " .. table.concat(cfg.filetypes or {}, ", "))
  h.info("root markers: " .. table.concat(vim.iter(cfg.root_markers or {}):flatten():totable(), ", "))

  h.start("Server executable")
  local cmd = cfg.cmd
  if type(cmd) ~= "table" or not cmd[1] then
    h.info("cmd is a function: cannot check the executable")
  else
    local exe = cmd[1]
    if vim.fn.executable(exe) == 1 then
      local path = vim.fn.exepath(exe)
      local out = vim.fn.system({ path, "--version" })
      if vim.v.shell_error == 0 then
        h.ok(("%s: %s"):format(path, vim.trim(out)))
      else
        h.warn(("%s --version failed: %s"):format(path, vim.trim(out)))
      end
    else
      h.error(("'%s' is not executable or not on PATH"):format(exe), {
        "Install it: `cargo install --path .` in the Annalist repository",
        'or set the path: vim.lsp.config("annalist", { cmd = { "/path/to/annalist", "lsp" } })',
      })
    end
  end

  h.start("Project")
  -- The health buffer is current: look at the buffer the user came from.
  local name = ""
  for _, b in ipairs({ vim.fn.bufnr("#"), vim.api.nvim_get_current_buf() }) do
    local n = b > 0 and vim.api.nvim_buf_get_name(b) or ""
    if n ~= "" and vim.uv.fs_stat(n) then
      name = n
      break
    end
  end
  local start = name ~= "" and vim.fs.dirname(name) or vim.fn.getcwd()
  local toml = vim.fs.find("annalist.toml", { path = start, upward = true })[1]
  if toml then
    h.ok("annalist.toml: " .. toml)
  else
    h.info("no annalist.toml above " .. start .. " (defaults apply; `annalist init` writes one)")
  end

  h.start("Running servers")
  local clients = vim.lsp.get_clients({ name = "annalist" })
  if #clients == 0 then
    h.info("none running (open a Markdown file)")
  end
  for _, c in ipairs(clients) do
    local info = c.server_info or {}
    h.ok(
      ("client %d: %s %s, root %s, %d buffer(s)"):format(
        c.id,
        info.name or "annalist",
        info.version or "",
        tostring(c.root_dir),
        vim.tbl_count(c.attached_buffers)
      )
    )
  end
  h.info("LSP log (server errors): " .. vim.lsp.log.get_filename())
end

return M
