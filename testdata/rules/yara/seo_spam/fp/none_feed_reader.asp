<%
' Shows the latest items of a partner's news feed.
Dim x, xml
Set x = Server.CreateObject("MSXML2.ServerXMLHTTP")
x.Open "GET", "https://news.example.org/feed.xml?site=" & Server.URLEncode(Request.ServerVariables("SERVER_NAME")), False
x.Send
Set xml = x.responseXML
Response.Write "<ul>"
For Each item In xml.selectNodes("//item/title")
	Response.Write "<li>" & Server.HTMLEncode(item.text) & "</li>"
Next
Response.Write "</ul>"
%>
