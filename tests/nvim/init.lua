-- A minimal Neovim set-up for wikitools lsp (Neovim 0.7+; docs/lsp.md has the same for newer versions).
-- The server command comes from WIKITOOLS_LSP_CMD (space-separated), default "wikitools lsp".
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"

local cmd = vim.split(os.getenv("WIKITOOLS_LSP_CMD") or "wikitools lsp", " ", { trimempty = true })

vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = { "*.wiki", "*.mediawiki" },
  callback = function(args) vim.bo[args.buf].filetype = "mediawiki" end,
})

vim.api.nvim_create_autocmd("FileType", {
  pattern = "mediawiki",
  callback = function(args)
    local root = vim.fs and vim.fs.dirname(args.file) or vim.fn.fnamemodify(args.file, ":p:h")
    _G.wikitools_client = _G.wikitools_client or vim.lsp.start_client({
      name = "wikitools",
      cmd = cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = "wiki" } },
    })
    vim.lsp.buf_attach_client(args.buf, _G.wikitools_client)
  end,
})
