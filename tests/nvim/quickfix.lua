-- Headless check: wait for the server's diagnostics, apply the quick fix of WIKITOOLS_FIX_CODE through
-- Neovim's own code-action UI, write the buffer, and record what happened in WIKITOOLS_RESULT.
local result = assert(io.open(os.getenv("WIKITOOLS_RESULT"), "w"))
local code = os.getenv("WIKITOOLS_FIX_CODE")

local function finish(status)
  result:write("status " .. status .. "\n")
  result:close()
  vim.cmd("qa!")
end

local got = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
if not got then return finish("no-diagnostics") end
local target
for _, d in ipairs(vim.diagnostic.get(0)) do
  result:write(string.format("diagnostic %s %d %d %s\n", d.code or "", d.lnum, d.col, d.message))
  if d.code == code then target = d end
end
if not target then return finish("no-" .. code) end

vim.ui.select = function(items, opts, on_choice)  -- pick the quick fix, as a user would in the menu
  for index, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    if title:find("Fix " .. code, 1, true) == 1 then
      result:write("chose " .. title .. "\n")
      return on_choice(item, index)
    end
  end
  on_choice(nil, nil)
end

local before = vim.api.nvim_buf_get_lines(0, 0, -1, false)
vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
vim.lsp.buf.code_action()
local changed = vim.wait(20000, function()
  return not vim.deep_equal(vim.api.nvim_buf_get_lines(0, 0, -1, false), before)
end, 50)
if not changed then return finish("not-applied") end
vim.cmd("write")
finish("written")
