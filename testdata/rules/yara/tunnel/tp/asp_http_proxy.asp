<%
Dim target, http
target = Request.QueryString("dsturl")
Set http = Server.CreateObject("MSXML2.ServerXMLHTTP")
http.Open "GET", target, False
http.Send
Response.ContentType = http.getResponseHeader("Content-Type")
Response.BinaryWrite http.responseBody
%>
