-- wrk script: a sustained load of real transitions and records on the pool of dossiers.
--   wrk -t2 -c16 -d20s -s bench/transitions.lua URL \
--       -- FIRST LAST BRANCH_TOKEN COMMITTEE_TOKEN DAY THREADS STEPS_FILE
-- Each thread owns the dossiers whose (id - FIRST) % threads equals its index, and visits them
-- in turn: designate_candidate, return_to_activist, then a filing record, again and again. A
-- dossier comes round again only after every other dossier of its thread, long after its
-- previous request was answered, so the cycle stays in step with its state. STEPS_FILE says
-- where each dossier's cycle resumes ("id step" lines, 0 from activist, 1 from training).

local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   first = tonumber(args[1])
   last = tonumber(args[2])
   branch = "Bearer " .. args[3]
   committee = "Bearer " .. args[4]
   day = args[5]
   ids = {}
   for id = first + index, last, tonumber(args[6]) do
      table.insert(ids, id)
   end
   cursor = 0
   visits = {}
   -- wrk calls request() once on the first thread's state to check it, and discards the
   -- request (script_verify_request in wrk.c): that call must not advance a cycle.
   verifying = index == 0
   for line in io.lines(args[7]) do
      local id, step = line:match("(%d+) (%d+)")
      visits[tonumber(id)] = tonumber(step)
   end
end

function request()
   if verifying then
      verifying = false
      return wrk.format("GET", "/api/v1/publicity")
   end
   cursor = cursor % #ids + 1
   local id = ids[cursor]
   local step = (visits[id] or 0) % 3
   visits[id] = (visits[id] or 0) + 1
   local path, body, token
   if step == 0 then
      path = "/api/v1/applicants/" .. id .. "/transitions"
      body = '{"trigger": "designate_candidate", "effective_date": "' .. day .. '"}'
      token = branch
   elseif step == 1 then
      path = "/api/v1/applicants/" .. id .. "/transitions"
      body = '{"trigger": "return_to_activist", "effective_date": "' .. day ..
         '", "reason": "继续培养"}'
      token = branch
   else
      path = "/api/v1/applicants/" .. id .. "/records"
      body = '{"type": "filing", "date": "' .. day .. '", "stage": "candidate"}'
      token = committee
   end
   return wrk.format("POST", path, {["Authorization"] = token,
                                    ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
