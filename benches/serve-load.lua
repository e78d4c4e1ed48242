-- wrk script for benches/serve-load.sh: each request searches the next
-- query of the file named by $VIGIE_LOAD_QUERIES (one query a line, `#`
-- comments skipped, as benches/queries.txt), URL-encoded, 10 hits.
local queries = {}
local n = 0

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local file = os.getenv("VIGIE_LOAD_QUERIES")
for line in io.lines(file) do
  local q = line:match("^%s*(.-)%s*$")
  if q ~= "" and q:sub(1, 1) ~= "#" then
    table.insert(queries, "/api/search?n=10&q=" .. encode(q))
  end
end

function setup(thread)
  n = n + 1
  thread:set("offset", n * 7)
end

local i = 0
function request()
  i = i + 1
  local path = queries[((i + (offset or 0)) % #queries) + 1]
  return wrk.format("GET", path)
end
