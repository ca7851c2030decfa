-- Every request carries a query string never sent before, so the page cache never holds the
-- answer: each request is a first render, as after a change to the data.
local made = 0
function setup(thread)
   made = made + 1
   thread:set("id", made)
end

local sent = 0
local separator
function init(args)
   separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
end

function request()
   sent = sent + 1
   return wrk.format(nil, wrk.path .. separator .. "fresh=" .. id .. "-" .. sent)
end
