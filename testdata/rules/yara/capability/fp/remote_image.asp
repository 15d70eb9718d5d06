<!--#include file="config.asp"-->
<%
' Editor "fetch remote image": only http(s) image URLs, saved under /uploads.
Dim url, http, st, name
url = Request.Form("source")
If Left(LCase(url), 4) <> "http" Then Response.End
Set http = Server.CreateObject("MSXML2.ServerXMLHTTP")
http.Open "GET", url, False
http.Send
If InStr(http.getResponseHeader("Content-Type"), "image") = 0 Then Response.End
name = "/uploads/remote_" & Int(Rnd * 1000000) & ".jpg"
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 1
st.Open
st.Write http.responseBody
st.SaveToFile Server.MapPath(name), 2
st.Close
Response.Write name
%>
