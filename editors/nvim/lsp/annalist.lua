-- Annalist language server configuration for Neovim 0.11+ (`vim.lsp.config`).
--
-- With this directory on 'runtimepath' (any plugin manager does that), enable it with
--   vim.lsp.enable("annalist")
-- and override any field with
--   vim.lsp.config("annalist", { cmd = { "/path/to/annalist", "lsp" }, settings = { annalist = { ... } } })
--
-- `settings.annalist` is sent to the server whole (workspace/didChangeConfiguration) and
-- overrides the project's annalist.toml for this editor. Keys: rules (code -> "off" |
-- "hint" | "info" | "warning" | "error"), romanisation.{korean,chinese,russian,prefer},
-- claims.scope ("sentence" | "paragraph"), features.{hover,semanticTokens,inlayHints,
-- completion,entities,dates}. Omitted keys keep annalist.toml's values.

---@type vim.lsp.Config
return {
  cmd = { "annalist", "lsp" },
  filetypes = { "markdown" },
  root_markers = { "annalist.toml", ".git" },
  settings = {
    annalist = {
      rules = vim.empty_dict(),
      features = {
        hover = true,
        semanticTokens = true,
        inlayHints = true,
        completion = true,
        entities = true,
        dates = true,
      },
    },
  },
  -- The server reads the same section from initializationOptions at start.
  before_init = function(params, config)
    params.initializationOptions = { annalist = (config.settings or {}).annalist or vim.empty_dict() }
  end,
}
