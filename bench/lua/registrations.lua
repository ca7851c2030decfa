-- A registration burst: each line of the plan (kind "register", see plan.lua) is sent once.
-- Run with one connection per thread (-tN -cN): a thread then has one request in flight, so it
-- times each one itself and stops after its last answer. wrk itself runs until its duration
-- ends or it is interrupted (bench/registrations.py interrupts it when every thread has said
-- "stopped"), so its own rate is not the burst's: done() prints the burst's figures.
local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
   int clock_gettime(int clock, bench_timespec *now);
]]
local clock = ffi.new("bench_timespec")
local function now_ms()
   ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC, shared by all threads
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local made = 0
local threads = {}
function setup(thread)
   made = made + 1
   thread:set("id", made)
   table.insert(threads, thread)
end

local mine = {}
local json = {["Content-Type"] = "application/json"}
function init(args)
   local plan, count = args[1], tonumber(args[2])
   local number = 0
   for line in io.lines(plan) do
      local path, body = string.match(line, "^register\tPOST\t([^\t]+)\t(.*)$")
      if path then
         number = number + 1
         if number % count == id - 1 then
            table.insert(mine, wrk.format("POST", path, json, body))
         end
      end
   end
end

local sent, sent_at, awaiting = 0, 0, false
first_ms, last_ms, latencies, errors, resent = 0, 0, "", 0, 0
function request()
   if awaiting then
      -- Asked again with no answer: wrk lost the connection (a write error on a fresh socket
      -- happens here) and reconnected. The same registration goes again, counted as resent.
      resent = resent + 1
      sent_at = now_ms()
      return mine[sent]
   end
   if sent == #mine then
      wrk.thread:stop()
      io.stderr:write("stopped\n")
      io.stderr:flush()
      return wrk.format("GET", "/healthz")  -- written as the loop stops, never answered
   end
   sent = sent + 1
   sent_at = now_ms()
   awaiting = true
   if first_ms == 0 then
      first_ms = sent_at
   end
   return mine[sent]
end

function response(status, headers, body)
   awaiting = false
   last_ms = now_ms()
   latencies = latencies .. string.format("%.3f ", last_ms - sent_at)
   if status < 200 or status > 299 then
      errors = errors + 1
   end
end

function done(summary, latency, requests)
   local all, first, last, failed, again = {}, math.huge, 0, 0, 0
   for _, thread in ipairs(threads) do
      for value in string.gmatch(thread:get("latencies"), "%S+") do
         table.insert(all, tonumber(value))
      end
      local started = thread:get("first_ms")
      if started > 0 and started < first then
         first = started
      end
      last = math.max(last, thread:get("last_ms"))
      failed = failed + thread:get("errors")
      again = again + thread:get("resent")
   end
   table.sort(all)
   local function at(share)
      return all[math.max(1, math.ceil(#all * share))] or 0
   end
   io.write(string.format(
      "burst: answered=%d seconds=%.3f p50=%.1f p99=%.1f max=%.1f errors=%d resent=%d\n",
      #all, (last - first) / 1000, at(0.5), at(0.99), all[#all] or 0, failed, again
   ))
end
