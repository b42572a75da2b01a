-- wrk script for scripts/load.sh: one request kind per wrk process (KIND env var), so each
-- kind gets its own latency percentiles. Counts statuses per thread and sums them in done().
--   KIND=search   GET /search?q=...            (a helpdesk query mix)
--   KIND=article  GET /articles/Q......        (ids from IDS_FILE; 404 until imported)
--   KIND=match    POST /api/match              (a pasted event, JSON)
--   KIND=ugly     GET /api/search?q=...        (32 common words and one unknown word, a fresh
--                                               unknown word each time: the bounded worst case)
--   KIND=wizard   POST /api/wizard             (a pasted event, JSON {"text": ...}; starts a
--                                               session, 201 Created, counted with the 2xx)
--   PASTE=n       match and wizard send only the n-th paste below (1: the seed paste, the
--                 Exchange event 68 the wizard's docs walk), instead of all four in turn
--   KIND=attack   hostile traffic in turn: a paste of thousands of events, a search of
--                 thirty common words and an unknown one, and a wrong staff password
--                 (after fetching the login form's cookie and token); 401/403/429 expected.
--                 ATTACKS="paste search login" (the default) picks which of the three run
local kind = os.getenv("KIND") or "search"

local queries = {
  "cc%3AMail+dirsync+event+68", "event+id+1000", "access+denied", "outlook+crash",
  "exchange+service+does+not+start", "printer+driver", "blue+screen+stop", "setup+fails",
  "SQL+server+login+failed", "network+adapter", "IIS+500+error", "DNS+name+resolution",
}

-- 32 words of common English, the kind a long complaint is made of.
local common = {
  "the", "computer", "would", "not", "start", "after", "installing", "new", "program",
  "from", "disk", "and", "then", "error", "message", "said", "file", "could", "found",
  "when", "open", "window", "again", "system", "problem", "with", "printer", "network",
  "user", "server", "work", "every",
}

local pastes = {
  "Event Type:\tError\r\nEvent Source:\tMSExchangeCCMC\r\nEvent Category:\tGeneral\r\nEvent ID:\t68\r\nDescription:\r\nBridge EXPORT to file BRIDGE.EXP ended with result code 1.",
  "Log Name:      System\r\nSource:        Service Control Manager\r\nEvent ID:      7000\r\nLevel:         Error\r\nDescription:\r\nThe Messenger service failed to start due to the following error.",
  "Event ID: 1000 Source: Userenv Windows cannot determine the user or computer name. Return value (1722).",
  "The trust relationship between this workstation and the primary domain failed.",
}

-- The attack kind's material, built once.
local hostile_paste
local ugly_query = "the+a+of+to+and+in+is+for+on+that+with+this+not+be+by+are+or+from+at+as+" ..
  "an+it+was+can+if+you+error+windows+server+file+message+zzqxjv"
local login_cookie, login_token
local attacks = {}
for a in (os.getenv("ATTACKS") or "paste search login"):gmatch("%a+") do attacks[#attacks + 1] = a end

local function json_string(s)
  s = s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\r', '\\r'):gsub('\n', '\\n'):gsub('\t', '\\t')
  return '"' .. s .. '"'
end

local ids = {}
local function load_ids()
  local path = os.getenv("IDS_FILE")
  if path then
    for line in io.lines(path) do
      if line ~= "" then ids[#ids + 1] = line end
    end
  end
  if #ids == 0 then ids = { "Q168465", "Q168466" } end
end

-- Threads, so that done() can read their counters.
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  load_ids()
  local lines = {}
  for i = 1, 4000 do lines[#lines + 1] = "Event ID: " .. i .. "\r\nSource: Src" .. (i % 97) end
  hostile_paste = '{"text":' .. json_string(table.concat(lines, "\r\n")) .. '}'

  math.randomseed(os.time() + (id or 0) * 7919)
  s2, s3, s404, s4xx, s5xx = 0, 0, 0, 0, 0
end

local n = 0
function request()
  n = n + 1
  if kind == "search" then
    return wrk.format("GET", "/search?q=" .. queries[(n % #queries) + 1])
  elseif kind == "ugly" then
    local words = {}
    for i = 1, #common do words[i] = common[((i + n) % #common) + 1] end
    words[#words + 1] = string.format("zq%dxv", n)
    return wrk.format("GET", "/api/search?q=" .. table.concat(words, "+"))
  elseif kind == "article" then
    return wrk.format("GET", "/articles/" .. ids[math.random(#ids)])
  elseif kind == "match" or kind == "wizard" then
    local path = kind == "match" and "/api/match" or "/api/wizard"
    local which = tonumber(os.getenv("PASTE") or "") or (n % #pastes) + 1
    local body = '{"text":' .. json_string(pastes[which]) .. '}'
    return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
  end
  if kind == "attack" then
    local turn = attacks[(n % #attacks) + 1]
    if turn == "paste" then
      return wrk.format("POST", "/api/match", { ["Content-Type"] = "application/json" }, hostile_paste)
    elseif turn == "search" then
      return wrk.format("GET", "/search?q=" .. ugly_query)
    elseif login_token then
      return wrk.format("POST", "/staff/login", {
        ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = login_cookie,
      }, "password=wrong&csrf=" .. login_token)
    else
      return wrk.format("GET", "/staff/login")
    end
  end
  error("unknown KIND " .. kind)
end

function response(status, headers, body)
  if kind == "attack" and not login_token and headers["Set-Cookie"] then
    local c = headers["Set-Cookie"]:match("(kbfix_staff_login=[^;]+)")
    local t = body:match('name="csrf" value="([0-9a-f]+)"')
    if c and t then login_cookie, login_token = c, t end
  end
  if status >= 500 then s5xx = s5xx + 1
  elseif status == 404 then s404 = s404 + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 300 then s3 = s3 + 1
  else s2 = s2 + 1 end
end

-- How many requests took longer than limit_us: from the latency percentiles (wrk keeps no
-- list), to a hundredth of a percent.
local function over(latency, total, limit_us)
  if latency.max <= limit_us then return 0 end
  local lo, hi = 0, 100
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) > limit_us then hi = mid else lo = mid end
  end
  return math.max(1, math.floor((100 - hi) / 100 * total + 0.5))
end

function done(summary, latency, requests)
  local t = { s2 = 0, s3 = 0, s404 = 0, s4xx = 0, s5xx = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  local secs = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "%-8s %7d requests %8.1f req/s  p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms  " ..
    "2xx %d  3xx %d  404 %d  other-4xx %d  5xx %d  socket-errors %d  over-2s %d\n",
    kind, summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    t.s2, t.s3, t.s404, t.s4xx, t.s5xx, errors, over(latency, summary.requests, 2000000)))
end
