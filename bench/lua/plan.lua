-- Requests read from a plan file (bench/load.py and bench/registrations.py write it), one a line:
--   kind <TAB> method <TAB> path <TAB> body
-- Lines of kind "register" are each sent once, split between the threads; the other kinds are
-- drawn at random with the weights given as arguments, e.g. `public=65 api=20 register=10`.
-- A thread whose registrations are used up draws from the other kinds.
local made = 0
local threads = {}
function setup(thread)
   made = made + 1
   thread:set("id", made)
   table.insert(threads, thread)
end

local pool = {}      -- kind -> list of {method, path, body}
local weights = {}   -- list of {kind, weight}
local total = 0
local registrations = {}
local next_registration = 1
local json = {["Content-Type"] = "application/json"}

function init(args)
   local plan, count = args[1], tonumber(args[2])
   for i = 3, #args do
      local kind, value = string.match(args[i], "^(%w+)=(%d+)$")
      if kind then
         table.insert(weights, {kind, tonumber(value)})
      end
   end
   local line_number = 0
   for line in io.lines(plan) do
      local kind, method, path, body = string.match(line, "^(%w+)\t(%u+)\t([^\t]+)\t?(.*)$")
      if kind == "register" then
         line_number = line_number + 1
         if line_number % count == id - 1 then
            table.insert(registrations, {method, path, body})
         end
      elseif kind then
         pool[kind] = pool[kind] or {}
         table.insert(pool[kind], {method, path, body})
      end
   end
   for _, pair in ipairs(weights) do
      if pair[1] ~= "register" and pool[pair[1]] == nil then
         error("the plan has no requests of kind " .. pair[1])
      end
      total = total + pair[2]
   end
   math.randomseed(id * 7919)
end

local function format(item)
   if item[3] ~= "" then
      return wrk.format(item[1], item[2], json, item[3])
   end
   return wrk.format(item[1], item[2])
end

local function draw()
   local roll = math.random() * total
   for _, pair in ipairs(weights) do
      roll = roll - pair[2]
      if roll <= 0 then
         return pair[1]
      end
   end
   return weights[#weights][1]
end

function request()
   local kind = draw()
   if kind == "register" and next_registration <= #registrations then
      next_registration = next_registration + 1
      return format(registrations[next_registration - 1])
   end
   if kind == "register" then  -- used up: another kind instead
      repeat kind = draw() until kind ~= "register"
   end
   local items = pool[kind]
   return format(items[math.random(#items)])
end
