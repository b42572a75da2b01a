-- wrk script: cycles through a mix of common helpdesk queries against /api/search.
local queries = {
  "cc%3AMail+dirsync+event+68", "event+id+1000", "access+denied", "outlook+crash",
  "exchange+service+does+not+start", "printer+driver", "blue+screen+stop", "setup+fails",
  "SQL+server+login+failed", "network+adapter", "IIS+500+error", "DNS+name+resolution",
}
local i = 0
request = function()
  i = (i % #queries) + 1
  return wrk.format("GET", "/api/search?q=" .. queries[i])
end
