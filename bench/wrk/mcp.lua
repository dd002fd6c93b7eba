-- scenario.lua plus the headers of a stateless MCP request (streamable HTTP,
-- protocol revision 2026-07-28): the body is one JSON-RPC request in BENCH_BODY
-- whose method and tool name BENCH_MCP_METHOD and BENCH_MCP_NAME repeat, as
-- that revision's Mcp-Method and Mcp-Name headers must.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "scenario.lua")
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
wrk.headers["Mcp-Method"] = os.getenv("BENCH_MCP_METHOD") or "tools/call"
local name = os.getenv("BENCH_MCP_NAME")
if name and name ~= "" then
   wrk.headers["Mcp-Name"] = name
end
