<%
' Counts crawler visits for the statistics page.
Dim agent
agent = LCase(Request.ServerVariables("HTTP_USER_AGENT"))
If InStr(agent, "googlebot") > 0 Or InStr(agent, "bingbot") > 0 Then
	Application("crawler_hits") = Application("crawler_hits") + 1
End If
Response.Write "<p>" & Server.HTMLEncode(Request.ServerVariables("SERVER_NAME")) & "</p>"
%>
