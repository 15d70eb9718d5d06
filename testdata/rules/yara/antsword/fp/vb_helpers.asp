<%
Function Show(s)
    Response.Write Server.HTMLEncode(s)
End Function
Dim q
q = Request.QueryString("q")
Show "You searched for: " & q
%>
