-- :Annalist {restart|timeline|info|log} — see :help annalist or editors/nvim/README.md.
if vim.g.loaded_annalist then
  return
end
vim.g.loaded_annalist = true

local subcommands = { "restart", "timeline", "info", "log" }

vim.api.nvim_create_user_command("Annalist", function(opts)
  local sub = opts.fargs[1] or "info"
  local annalist = require("annalist")
  local fn = annalist.commands[sub]
  if not fn then
    vim.notify(
      ("Annalist: unknown subcommand %q (use %s)"):format(sub, table.concat(subcommands, ", ")),
      vim.log.levels.ERROR
    )
    return
  end
  fn(opts)
end, {
  nargs = "?",
  desc = "Annalist language server: restart, timeline, info, log",
  complete = function(arg)
    return vim.tbl_filter(function(s)
      return vim.startswith(s, arg)
    end, subcommands)
  end,
})
